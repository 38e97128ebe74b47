/* The directory's map, drawn with the vendored Leaflet from Agora's own origin. The page works
   without this script: it shows the SVG drawing of the places and their list. With it, the
   areas come from the directory's GeoJSON (names in the reader's language), other apps' points
   from their own GeoJSON, and base tiles only when the page names a tile server (the content
   security policy admits that one host). Nothing else is requested. */
(function () {
  "use strict";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(url + ": " + response.status); }
        return response.json();
      });
  }

  function link(href, text) {
    var anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = text;
    return anchor;
  }

  function draw(holder) {
    if (!window.L || !window.fetch) { return; }
    var canvas = document.createElement("div");
    canvas.className = "place-map-canvas";
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", holder.dataset.label || "");
    var map = L.map(canvas, { attributionControl: Boolean(holder.dataset.tiles), zoomSnap: 0.25 });
    if (holder.dataset.tiles) {
      L.tileLayer(holder.dataset.tiles, {
        attribution: holder.dataset.attribution || "",
        maxZoom: 19
      }).addTo(map);
    }
    getJSON(holder.dataset.areas).then(function (collection) {
      if (!collection.features.length) { return; }
      var layer = L.geoJSON(collection, {
        style: function () {
          return { color: "#4a5563", weight: 1.5, fillColor: "#dbe7f3", fillOpacity: 0.6 };
        },
        onEachFeature: function (feature, shape) {
          var popup = document.createElement("p");
          popup.appendChild(link(feature.properties.url, feature.properties.name));
          popup.appendChild(document.createTextNode(" (" + feature.properties.kind_label + ")"));
          shape.bindPopup(popup);
          shape.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "place-map-label" });
        }
      }).addTo(map);
      holder.classList.add("place-map-drawn");
      holder.insertBefore(canvas, holder.firstChild);
      map.invalidateSize();
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      var layers = (holder.dataset.points || "").split(" ").filter(Boolean);
      return Promise.all(layers.map(function (url) {
        return getJSON(url).then(function (points) {
          L.geoJSON(points, {
            pointToLayer: function (feature, latlng) {
              var meeting = feature.properties.kind === "meeting";
              return L.circleMarker(latlng, {
                radius: meeting ? 8 : 7,
                color: "#1d2430",
                weight: 2,
                fillColor: meeting ? "#0b5394" : "#b3261e",
                fillOpacity: 0.9
              });
            },
            onEachFeature: function (feature, marker) {
              var popup = document.createElement("p");
              popup.appendChild(link(feature.properties.url, feature.properties.title));
              marker.bindPopup(popup);
            }
          }).addTo(map);
        });
      }));
    }).catch(function () {
      /* The SVG drawing and the list stay: nothing is lost. */
    });
  }

  document.querySelectorAll(".place-map[data-areas]").forEach(draw);
})();
