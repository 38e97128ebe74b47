from django.conf import settings


def site(request):
    return {"site_name": settings.AGORA_SITE_NAME}
