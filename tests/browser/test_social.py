"""Two people in a real browser: they follow each other, one posts a picture with its
description, the other sees it in the home feed, likes it and replies, and the first sees the
notifications. Axe audits every page on the way (see conftest)."""

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from agora.social.models import Comment, Post
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def make_picture(path: Path) -> Path:
    image = Image.new("RGB", (320, 200), (30, 110, 60))
    ImageDraw.Draw(image).rectangle((40, 40, 280, 160), fill=(240, 240, 230))
    image.save(path, format="PNG")
    return path


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def follow(tab, handle: str) -> None:
    tab.page.goto(tab.url(f"/@{handle}/"))
    tab.audit()
    tab.page.get_by_role("button", name="Follow", exact=True).click()
    tab.page.wait_for_load_state("load")
    assert tab.page.get_by_role("button", name="Unfollow").is_visible()
    tab.audit()


@pytest.mark.slow
def test_two_people_follow_each_other_post_like_reply_and_are_notified(open_tab, tmp_path):
    ada = UserFactory(handle="ada", display_name="Ada Lind")
    ben = UserFactory(handle="ben", display_name="Ben Okafor")
    ada_tab, ben_tab = open_tab(), open_tab()
    ada_tab.log_in_as(ada)
    ben_tab.log_in_as(ben)

    follow(ada_tab, "ben")
    follow(ben_tab, "ada")

    page = ada_tab.page
    main_nav(page).get_by_role("link", name="Home feed").click()
    page.wait_for_url(ada_tab.url("/home/"))
    ada_tab.audit()
    page.get_by_label("Your post").fill("The new crossing on **Mill Road** is open. #crossings")
    page.get_by_text("Add images (up to four)").click()
    page.get_by_label("Image 1", exact=True).set_input_files(
        make_picture(tmp_path / "crossing.png")
    )
    page.get_by_label("Description of image 1").fill("A zebra crossing in front of the school")
    ada_tab.audit()
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/posts/\d+/$"))
    ada_tab.audit()
    post = Post.objects.get()
    assert post.images.get().alt_text == "A zebra crossing in front of the school"

    page = ben_tab.page
    main_nav(page).get_by_role("link", name="Home feed").click()
    page.wait_for_url(ben_tab.url("/home/"))
    ben_tab.audit()
    picture = page.get_by_role("img", name="A zebra crossing in front of the school")
    assert picture.evaluate("image => image.complete && image.naturalWidth > 0")
    assert page.locator("strong", has_text="Mill Road").is_visible()
    page.get_by_role("button", name="Like (0)").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("button", name="Liked (1)").is_visible()
    ben_tab.audit()
    page.get_by_role("link", name="0 replies").click()
    page.wait_for_url(re.compile(rf"/posts/{post.pk}/"))
    ben_tab.audit()
    page.get_by_label("Your reply").fill("Finally! My children cross there every day.")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    assert page.get_by_text("Finally! My children cross there every day.").is_visible()
    ben_tab.audit()
    assert Comment.objects.get().author == ben

    page = ada_tab.page
    page.goto(ada_tab.url("/home/"))
    ada_tab.audit()
    main_nav(page).get_by_role("link", name=re.compile(r"^Notifications \(3 unread\)")).click()
    page.wait_for_url(ada_tab.url("/notifications/"))
    ada_tab.audit()
    assert page.get_by_text("Ben Okafor follows you.").is_visible()
    assert page.get_by_text("Ben Okafor liked what you wrote.").is_visible()
    assert page.get_by_text("Ben Okafor replied to you.").is_visible()
    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_load_state("load")
    assert main_nav(page).get_by_role("link", name="Notifications", exact=True).is_visible()
    ada_tab.audit()


@pytest.mark.parametrize("path", ["/latest/", "/search/?q=crossing", "/tags/crossings/"])
def test_public_social_pages_are_accessible_to_visitors(open_tab, path):
    from agora.social import services

    services.create_post(by=UserFactory(), body="A public note about #crossings")
    tab = open_tab()
    tab.page.goto(tab.url(path))
    tab.audit()


@pytest.mark.slow
def test_a_resident_follows_an_office_and_sees_its_announcement_marked_institutional(open_tab):
    from agora.accounts.models import Role
    from agora.directory import services as directory_services
    from tests.directory.factories import AuthorityFactory, OfficeFactory

    office = OfficeFactory(
        slug="public-lighting",
        name_en="Public Lighting Unit",
        authority=AuthorityFactory(name_en="City of Testville"),
    )
    official = UserFactory(handle="lucia", display_name="Lucía Luz", role=Role.OFFICIAL)
    directory_services.add_official(office, official)
    resident = UserFactory(handle="rosa", display_name="Rosa Vecina")
    resident_tab, official_tab = open_tab(), open_tab()
    resident_tab.log_in_as(resident)
    official_tab.log_in_as(official)

    page = resident_tab.page
    page.goto(resident_tab.url("/directory/offices/public-lighting/"))
    resident_tab.audit()
    page.get_by_role("button", name="Follow", exact=True).click()
    page.wait_for_load_state("load")
    assert page.get_by_role("button", name="Unfollow").is_visible()
    assert page.get_by_text("1 follower", exact=True).is_visible()
    resident_tab.audit()

    page = official_tab.page
    page.goto(official_tab.url("/home/"))
    official_tab.audit()
    page.get_by_label("Your post").fill("Street lights on Mill Road are back on tonight.")
    page.get_by_role("radio", name="Public Lighting Unit").check()
    official_tab.audit()
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/posts/\d+/$"))
    official_tab.audit()
    assert Post.objects.get().office == office

    page = resident_tab.page
    main_nav(page).get_by_role("link", name="Home feed").click()
    page.wait_for_url(resident_tab.url("/home/"))
    resident_tab.audit()
    card = page.locator("article.post", has_text="Street lights on Mill Road")
    assert card.get_by_role("link", name="Public Lighting Unit").is_visible()
    assert card.get_by_text("Institutional account").is_visible()
    assert card.get_by_text(
        "Announcement posted by Lucía Luz, an official of the office."
    ).is_visible()
    page.get_by_role("link", name="Official sources only").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Street lights on Mill Road are back on tonight.").is_visible()
    resident_tab.audit()
    page.get_by_role("link", name="People only").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Street lights on Mill Road are back on tonight.").count() == 0
    resident_tab.audit()

    page.goto(resident_tab.url("/@rosa/"))
    followed = page.get_by_role("region", name="What you follow")
    assert followed.get_by_role("link", name="Public Lighting Unit").is_visible()
    resident_tab.audit()


def test_media_from_youtube_loads_only_when_asked_and_only_from_youtube(open_tab):
    from agora.social import services

    post = services.create_post(
        by=UserFactory(display_name="Ana Abierta"),
        body="The square, filmed: https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    tab = open_tab(viewport={"width": 320, "height": 640})
    # The network is outside this machine: a stand-in answers for it in the browser.
    frame_host = "https://www.youtube-nocookie.com"
    tab.page.context.route(
        f"{frame_host}/**",
        lambda route: route.fulfill(
            body="<title>Video</title><p>Video</p>", content_type="text/html"
        ),
    )
    tab.page.goto(tab.url(f"/posts/{post.pk}/"))
    tab.audit()
    tab.assert_fits_width()
    assert tab.page.locator("iframe").count() == 0
    assert not [url for url in tab.requests if url.startswith(frame_host)]
    tab.page.get_by_role("button", name="Load content from YouTube").click()
    tab.page.wait_for_load_state("load")
    frame = tab.page.locator("iframe")
    assert frame.get_attribute("src") == f"{frame_host}/embed/dQw4w9WgXcQ"
    tab.page.frame_locator("iframe").get_by_text("Video").wait_for()
    tab.allowed_origins.add(frame_host)  # the one origin the person asked for
    tab.audit()
    tab.assert_fits_width()
    tab.page.screenshot(path="var/screenshots/media-loaded-320.png", full_page=True)
    elsewhere = {url.split("/")[2] for url in tab.requests if not url.startswith(tab.origin)}
    assert elsewhere == {"www.youtube-nocookie.com"}
