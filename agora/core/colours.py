"""Colours as `#rrggbb` and their contrast as WCAG 2.2 defines it (success criterion 1.4.3):
the ratio of the lighter colour's relative luminance to the darker's, each plus 0.05."""

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

#: What text needs against its background (WCAG 2.2 AA, normal-sized text).
TEXT_CONTRAST = 4.5


def is_hex_colour(value: str) -> bool:
    return bool(HEX_COLOUR.match(value or ""))


def normalised(value: str) -> str:
    """`#RRGGBB` or `#rrggbb` (surrounding spaces allowed) as `#rrggbb`."""
    return value.strip().lower()


def _channel(value: int) -> float:
    share = value / 255
    return share / 12.92 if share <= 0.04045 else ((share + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shown_ratio(ratio: float) -> str:
    """The ratio as people read it, rounded down so that 4.499 never shows as "4.5:1"."""
    return f"{int(ratio * 100) / 100:.2f}:1"


#: The page's own backgrounds, as agora.css sets them: the main colour is the colour of links
#: and outlined buttons on both.
PAPER = "#ffffff"
WASH = "#f3f5f7"


def contrast_shortfalls(main: str, main_text: str) -> list[tuple[str, str, float]]:
    """Where the site's colours fall short of `TEXT_CONTRAST`: (which colour, what it is used
    with, the ratio) for each pair that does. The main colour is the header's and the filled
    buttons' background under `main_text`, and the colour of links on white and on the pale
    grey of the footer and highlighted boxes."""
    shortfalls = []
    text_ratio = contrast_ratio(main, main_text)
    if text_ratio < TEXT_CONTRAST:
        shortfalls.append(("main_text_colour", "main_colour", text_ratio))
    page_ratio = min(contrast_ratio(main, PAPER), contrast_ratio(main, WASH))
    if page_ratio < TEXT_CONTRAST:
        shortfalls.append(("main_colour", "page", page_ratio))
    return shortfalls
