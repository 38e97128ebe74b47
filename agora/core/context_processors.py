"""What every page's frame shows: the product's name and the site's identity (from the cache,
without a query)."""

from django.conf import settings

from agora.core import identity


def site(request):
    return {"site_name": settings.AGORA_SITE_NAME, "site_identity": identity.current()}
