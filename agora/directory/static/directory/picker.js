/* The place picker of the report form: a click, a dragged pin or the "middle of the map" button
   (for keyboards) fills the form's hidden latitude and longitude, and the form's place list is
   set to the area under the pin when the list offers it (the server also finds the area from
   the point). Choosing a place in the list, or typing one of its names in the address field
   (the list's places are offered as suggestions), shows that place on the map. Without this
   script the map stays hidden and the address and the list say where. Nothing is requested
   from another origin: the areas come from Agora's GeoJSON, tiles only from a configured tile
   server. */
(function () {
  "use strict";

  function setUp(holder) {
    var form = holder.closest("form");
    if (!window.L || !window.fetch || !form) { return; }
    var latitude = form.querySelector("input[name=latitude]");
    var longitude = form.querySelector("input[name=longitude]");
    var place = form.querySelector("select[name=area]");
    var status = holder.querySelector(".place-picker-status");
    if (!latitude || !longitude) { return; }
    holder.hidden = false;
    var map = L.map(holder.querySelector(".place-picker-canvas"), {
      attributionControl: Boolean(holder.dataset.tiles), zoomSnap: 0.25
    });
    if (holder.dataset.tiles) {
      L.tileLayer(holder.dataset.tiles, { attribution: holder.dataset.attribution || "", maxZoom: 19 })
        .addTo(map);
    }
    var marker = null;
    var areas = null;

    function areaUnder(latlng) {
      /* The smallest listed area whose shape holds the point, by Leaflet's own drawing. */
      var found = null;
      if (!areas) { return null; }
      areas.eachLayer(function (layer) {
        if (layer.getBounds().contains(latlng) && holds(layer, latlng)) {
          if (!found || areaOf(layer) < areaOf(found)) { found = layer; }
        }
      });
      return found;
    }

    function areaOf(layer) {
      var bounds = layer.getBounds();
      return (bounds.getNorth() - bounds.getSouth()) * (bounds.getEast() - bounds.getWest());
    }

    function holds(layer, latlng) {
      var rings = layer.getLatLngs();
      var inside = false;
      (function walk(list) {
        if (list.length && list[0] instanceof L.LatLng) {
          for (var i = 0, j = list.length - 1; i < list.length; j = i++) {
            var a = list[i], b = list[j];
            if ((a.lat > latlng.lat) !== (b.lat > latlng.lat) &&
                latlng.lng < (b.lng - a.lng) * (latlng.lat - a.lat) / (b.lat - a.lat) + a.lng) {
              inside = !inside;
            }
          }
        } else {
          list.forEach(walk);
        }
      })(rings);
      return inside;
    }

    function pick(latlng) {
      latitude.value = latlng.lat.toFixed(6);
      longitude.value = latlng.lng.toFixed(6);
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: status.dataset.picked })
          .addTo(map);
        marker.on("dragend", function () { pick(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
      var layer = areaUnder(latlng);
      if (place && layer) {
        var slug = layer.feature.properties.slug;
        if (place.querySelector('option[value="' + slug + '"]')) { place.value = slug; }
      }
      status.textContent = status.dataset.picked + (layer ? " " + layer.feature.properties.name : "");
    }

    function layerFor(slug) {
      var found = null;
      if (areas && slug) {
        areas.eachLayer(function (layer) {
          if (layer.feature.properties.slug === slug) { found = layer; }
        });
      }
      return found;
    }

    function show(slug) {
      /* The chosen place on the map, unless the pin already stands in it. */
      var layer = layerFor(slug);
      if (!layer || (marker && holds(layer, marker.getLatLng()))) { return; }
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    }

    function suggest(address) {
      /* The list's places as the address field's suggestions: typing "Calle Mayor 5" chooses
         Calle Mayor in the list, the longest name the words start with. */
      if (!address || !place) { return; }
      var names = document.createElement("datalist");
      names.id = "place-picker-names";
      var options = [];
      Array.prototype.forEach.call(place.options, function (option) {
        if (!option.value) { return; }
        var name = option.textContent.trim();
        options.push({ slug: option.value, name: name.toLocaleLowerCase() });
        var suggestion = document.createElement("option");
        suggestion.value = name;
        names.appendChild(suggestion);
      });
      holder.appendChild(names);
      address.setAttribute("list", names.id);
      address.addEventListener("change", function () {
        var typed = address.value.trim().toLocaleLowerCase();
        var best = null;
        options.forEach(function (option) {
          if ((typed === option.name || typed.indexOf(option.name + " ") === 0 ||
               typed.indexOf(option.name + ",") === 0) &&
              (!best || option.name.length > best.name.length)) {
            best = option;
          }
        });
        if (best && place.value !== best.slug) {
          place.value = best.slug;
          show(best.slug);
        }
      });
    }

    holder.querySelector(".place-picker-centre").addEventListener("click", function () {
      pick(map.getCenter());
    });
    if (place) {
      place.addEventListener("change", function () { show(place.value); });
    }
    suggest(form.querySelector("input[name=address]"));

    fetch(holder.dataset.areas, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        if (!collection.features.length) { holder.hidden = true; return; }
        areas = L.geoJSON(collection, {
          style: function () {
            return { color: "#4a5563", weight: 1.5, fillColor: "#dbe7f3", fillOpacity: 0.5 };
          }
        }).addTo(map);
        areas.on("click", function (event) { pick(event.latlng); });
        map.on("click", function (event) { pick(event.latlng); });
        map.invalidateSize();
        map.fitBounds(areas.getBounds(), { padding: [8, 8] });
        if (latitude.value && longitude.value) {
          pick(L.latLng(parseFloat(latitude.value), parseFloat(longitude.value)));
        } else if (place && place.value) {
          show(place.value);
        }
      })
      .catch(function () { holder.hidden = true; });
  }

  document.querySelectorAll(".place-picker[data-areas]").forEach(setUp);
})();
