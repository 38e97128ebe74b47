"""Official information and Agora's reach in a real browser.

1. The journey of the issue: an office publishes an urgent announcement for a district; a
   follower of the district and one of the city that contains it, whose notifications for
   it are set to a daily digest, are told at once, in the app and by email; the office
   corrects the announcement (without JavaScript, in Spanish) and the correction shows with
   the earlier text. At 320 px and on a desktop, axe clean, and the follower's pages without
   JavaScript too.
2. Every public page type, with share links and a media card, loaded before and after the
   person's consent: from the browser's own request log, nothing leaves for another origin
   before the consent click, and after it only the chosen network's host is contacted (a
   stand-in answers for it: there is no network here)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from agora.notifications.models import Delivery
from agora.notifications.services import set_preference
from agora.social import notifying
from agora.social import services as social_services
from tests.factories import UserFactory
from tests.helpers import sent_messages
from tests.social.sources_helpers import build_directory

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.slow
def test_an_urgent_announcement_reaches_a_digest_follower_at_once_and_its_correction_shows(
    open_tab, transactional_db, mail_dir
):
    town = build_directory()
    follower = UserFactory(handle="rosa", display_name="Rosa Vecina")
    social_services.follow_source(town.district, by=follower)
    set_preference(follower, kind=notifying.URGENT_ANNOUNCEMENT, delivery=Delivery.DIGEST)
    # The district lies in the city: who follows the city hears of the district's notice too.
    city_follower = UserFactory(handle="ciro", display_name="Ciro Ciudad")
    social_services.follow_source(town.city, by=city_follower)
    set_preference(city_follower, kind=notifying.URGENT_ANNOUNCEMENT, delivery=Delivery.DIGEST)

    office_tab = open_tab(viewport=PHONE)
    office_tab.log_in_as(town.lighting_official)
    page = office_tab.page
    page.goto(office_tab.url(town.lighting_office.get_absolute_url()))
    office_tab.audit()
    page.get_by_role("link", name="Post an announcement as this office").click()
    page.wait_for_url(re.compile(r"/announcements/new\?office="))
    office_tab.audit()
    office_tab.assert_fits_width()
    page.get_by_label("Announcement", exact=True).fill(
        "No street lights tonight in the Old Town from 22:00."
    )
    until = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Valid until (optional; required when urgent)").fill(until)
    page.get_by_label("Urgent: tell everyone who follows the area and the topic at once").check()
    page.get_by_label("Area concerned").select_option(label="Old Town")
    page.get_by_label("Topic concerned").select_option(label="Street lighting")
    shot(page, "urgent-form-320-en")
    page.get_by_role("button", name="Publish announcement").click()
    page.wait_for_url(re.compile(r"/posts/\d+/$"))
    office_tab.audit()
    post_path = re.search(r"/posts/\d+/$", page.url).group(0)
    assert page.get_by_text("Street lighting in Old Town").is_visible()

    # The worker tells the follower at once: by email, though their choice is a digest.
    call_command("worker", batch=True, verbosity=0)
    call_command("worker", batch=True, verbosity=0)  # the emails each batch queued
    messages = sent_messages(mail_dir)
    assert sorted(message["To"] for message in messages) == sorted(
        [follower.email, city_follower.email]
    )
    for message in messages:
        assert "No street lights tonight" in message.get_body(("plain",)).get_content()

    reader = open_tab(viewport=PHONE)
    reader.log_in_as(follower)
    reader.page.goto(reader.url("/notifications/"))
    reader.audit()
    assert reader.page.get_by_text(
        "Urgent announcement from Public Lighting Unit for Old Town."
    ).is_visible()
    reader.page.goto(reader.url(town.district.get_absolute_url()))
    reader.audit()
    reader.assert_fits_width()
    pinned = reader.page.get_by_role("region", name="Urgent in Old Town")
    assert pinned.get_by_text("No street lights tonight", exact=False).is_visible()
    shot(reader.page, "urgent-pinned-area-320-en")

    # The office corrects it; the correction shows as one, with the earlier text.
    page.get_by_role("link", name="Correct").click()
    page.wait_for_url(re.compile(r"/edit$"))
    office_tab.audit()
    page.get_by_role("button", name="Publish correction").click()  # nothing changed yet
    page.wait_for_load_state("load")
    office_tab.audit()
    assert page.get_by_text("This correction changes nothing").is_visible()
    # The correction itself is made without JavaScript, at 320 px, in Spanish.
    spanish = open_tab(viewport=PHONE, javascript=False)
    spanish.log_in_as(town.lighting_official)
    spanish.page.context.add_cookies(
        [{"name": "django_language", "value": "es", "url": spanish.origin}]
    )
    spanish.page.goto(spanish.url(post_path + "edit"))
    spanish.page.get_by_label("Anuncio corregido").fill(
        "No street lights tonight in the Old Town from 23:00."
    )
    spanish.page.get_by_label("Qué ha cambiado").fill("The works start at 23:00, not 22:00.")
    spanish.assert_fits_width()
    shot(spanish.page, "correction-form-320-nojs-es")
    spanish.page.get_by_role("button", name="Publicar la corrección").click()
    spanish.page.wait_for_url(re.compile(post_path + "$"))
    assert spanish.page.get_by_role("region", name="Correcciones").is_visible()
    page.goto(office_tab.url(post_path))
    office_tab.audit()

    # An urgent announcement is published without JavaScript too, in Spanish at 320 px.
    form = spanish.page
    form.goto(spanish.url(f"/announcements/new?office={town.lighting_office.slug}"))
    form.locator("[name=body]").fill("Corte de agua mañana en el casco antiguo de 8:00 a 12:00.")
    form.locator("[name=valid_until]").fill(until)
    form.locator("[name=urgent]").check()
    form.locator("[name=urgent_area]").select_option(label="Casco Antiguo")
    form.locator("[name=urgent_topic]").select_option(label="Alumbrado público")
    spanish.assert_fits_width()
    form.get_by_role("button", name="Publicar el anuncio").click()
    form.wait_for_url(re.compile(r"/posts/\d+/$"))
    assert "Corte de agua mañana" in form.locator("main").inner_text()
    call_command("worker", batch=True, verbosity=0)
    call_command("worker", batch=True, verbosity=0)
    water = [
        m
        for m in sent_messages(mail_dir)
        if "Corte de agua" in m.get_body(("plain",)).get_content()
    ]
    assert sorted(message["To"] for message in water) == sorted(
        [follower.email, city_follower.email]
    )

    # Without JavaScript, on a phone: the corrected text, the correction and the earlier one.
    plain = open_tab(viewport=PHONE, javascript=False)
    plain.log_in_as(follower)
    plain.page.goto(plain.url(post_path))
    main = plain.page.locator("main")
    assert "from 23:00" in main.inner_text()
    corrections = plain.page.get_by_role("region", name="Corrections")
    assert corrections.get_by_text("The works start at 23:00, not 22:00.").is_visible()
    corrections.get_by_text("Text before this correction").click()
    assert corrections.get_by_text("from 22:00").is_visible()
    plain.assert_fits_width()
    shot(plain.page, "announcement-corrected-320-nojs-en")

    desktop = open_tab(viewport=DESKTOP)
    desktop.page.context.add_cookies(
        [{"name": "django_language", "value": "es", "url": desktop.origin}]
    )
    desktop.page.goto(desktop.url(post_path))
    desktop.audit()
    desktop.page.get_by_role("region", name="Correcciones").wait_for()
    shot(desktop.page, "announcement-corrected-desktop-es")


@pytest.fixture
def a_seeded_city(transactional_db):
    """Every app's demo data, as `agora seed` loads it, and an office's announcement with a
    YouTube video and a PDF: every kind of public page has something to show."""
    from agora.directory.models import Office
    from agora.site.registry import declared

    for load in declared.demo_loaders():
        load(force=False)
    office = Office.objects.filter(memberships__isnull=False).order_by("pk").first()
    official = office.memberships.order_by("pk").first().user
    return social_services.create_post(
        by=official,
        office=office,
        body="The new square, filmed: https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )


# The pages of things anyone may share, each with its Share links.
SHARED = {"post", "announcement", "case", "proposal", "petition", "process", "office"}


def public_pages(announcement) -> dict[str, str]:
    """One address of each kind of public page, from the seeded data."""
    from agora.accounts.models import Visibility as ProfileVisibility
    from agora.cases.models import Case
    from agora.directory.models import Area, Office, Topic
    from agora.petitions.models import Petition
    from agora.processes.models import Process
    from agora.proposals.models import Proposal
    from agora.results.models import Result
    from agora.social.models import Post

    post = Post.objects.filter(
        office__isnull=True,
        shared_post__isnull=True,
        visibility="public",
        author__profile_visibility=ProfileVisibility.PUBLIC,
    ).first()
    process = Process.objects.filter(is_published=True).order_by("pk").first()
    petition = next(item for item in Petition.objects.order_by("pk") if item.is_public)
    result = Result.objects.filter(process__isnull=False).order_by("pk").first()
    process_with_results = result.process
    return {
        "home": "/",
        "post": f"/posts/{post.pk}/",
        "announcement": f"/posts/{announcement.pk}/",
        "case": Case.objects.filter(is_public=True).order_by("pk").first().get_absolute_url(),
        "proposal": Proposal.objects.filter(process__is_published=True)
        .order_by("pk")
        .first()
        .get_absolute_url(),
        "petition": petition.get_absolute_url(),
        "process": process.get_absolute_url(),
        "office": Office.objects.order_by("pk").first().get_absolute_url(),
        "area": Area.objects.order_by("pk").first().get_absolute_url(),
        "topic": Topic.objects.order_by("pk").first().get_absolute_url(),
        "profile": f"/@{post.author.handle}/",
        "results": f"/results/process/{process_with_results.slug}/",
        "result": result.get_absolute_url(),
        "latest": "/latest/",
    }


@pytest.mark.slow
def test_no_public_page_contacts_another_origin_before_consent_and_only_the_chosen_one_after(
    open_tab, a_seeded_city
):
    pages = public_pages(a_seeded_city)
    tab = open_tab(viewport=PHONE)
    frame_host = "https://www.youtube-nocookie.com"
    # Every other origin answers from a stand-in in the browser: nothing leaves the machine,
    # and the request log still records each attempt.
    tab.page.context.route(
        re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"),
        lambda route: route.fulfill(
            body="<title>Stand-in</title><p>Video</p>", content_type="text/html"
        ),
    )
    page = tab.page
    for name, path in pages.items():
        page.goto(tab.url(path))
        tab.audit()
        tab.assert_fits_width()
        elsewhere = [url for url in tab.requests if not url.startswith(tab.origin)]
        assert not elsewhere, f"the {name} page at {path} contacted {elsewhere}"
        if name in SHARED:
            assert page.locator("details.share").count() == 1, f"no Share on the {name} page"
    # On a device with a system share sheet, the Share disclosure offers it (an enhancement:
    # the plain links stay); it is handed the page's own address and nothing goes elsewhere.
    sheet = open_tab(viewport=PHONE)
    sheet.page.add_init_script(
        "navigator.share = (data) => { window.sharedWith = data; return Promise.resolve(); };"
    )
    sheet.page.goto(sheet.url(pages["announcement"]))
    sheet.audit()
    sheet.page.locator("details.share summary").click()
    sheet.page.get_by_role("button", name="Share with an app on this device").click()
    shared = sheet.page.evaluate("window.sharedWith")
    assert shared["url"] == sheet.url(pages["announcement"])
    assert not [url for url in sheet.requests if not url.startswith(sheet.origin)]

    # The consent click, remembered on this device: from then on YouTube's frame, only.
    page.goto(tab.url(pages["announcement"]))
    tab.audit()
    page.get_by_label("Always load content from YouTube on this device").check()
    page.get_by_role("button", name="Load content from YouTube").click()
    page.wait_for_load_state("load")
    page.frame_locator("iframe").get_by_text("Video").wait_for()
    tab.allowed_origins.add(frame_host)
    tab.audit()
    shot(page, "media-consented-announcement-320-en")
    for path in pages.values():
        page.goto(tab.url(path))
        page.wait_for_load_state("load")
        tab.audit()
    hosts = {url.split("/")[2] for url in tab.requests if not url.startswith(tab.origin)}
    assert hosts == {"www.youtube-nocookie.com"}
