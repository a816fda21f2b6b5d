"""Drawn illustrations for the demo catalog, one style per instrument category (no photos of real
instruments are shipped). Deterministic: the same category and number give the same picture."""

from __future__ import annotations

from PIL import Image, ImageDraw

SIZE = (800, 600)
# Background top and bottom colours per category.
PALETTE = {
    "electron-microscopy": ((27, 60, 110), (70, 130, 190)),
    "mass-spectrometry": ((60, 40, 110), (130, 100, 190)),
    "chromatography": ((20, 100, 90), (80, 170, 150)),
    "spectroscopy": ((110, 50, 40), (200, 120, 80)),
    "x-ray": ((40, 40, 60), (110, 110, 150)),
    "nmr": ((90, 30, 70), (170, 90, 140)),
    "sequencing": ((30, 90, 50), (100, 170, 110)),
    "ocean-observation": ((10, 60, 110), (40, 150, 200)),
    "underwater-vehicles": ((5, 40, 80), (20, 110, 160)),
    "acoustic-survey": ((15, 50, 90), (60, 120, 170)),
    "environmental-testing": ((90, 80, 30), (180, 160, 80)),
    "materials-testing": ((70, 70, 70), (150, 150, 150)),
    "other": ((30, 70, 90), (90, 150, 170)),
}
WHITE = (255, 255, 255)
PALE = (235, 242, 248)


def _background(category: str) -> Image.Image:
    top, bottom = PALETTE.get(category, PALETTE["other"])
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE[1]):
        t = y / (SIZE[1] - 1)
        shade = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SIZE[0], y)], fill=shade)
    return image


def _bench(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([60, 500, 740, 520], fill=PALE)


def _cabinet(draw, box, screen=True) -> None:
    draw.rounded_rectangle(box, radius=18, fill=WHITE)
    x0, y0, x1, _y1 = box
    if screen:
        draw.rounded_rectangle([x0 + 30, y0 + 30, x0 + 170, y0 + 120], radius=8, fill=(40, 60, 80))
        trace = [(x0 + 45, y0 + 95), (x0 + 80, y0 + 60), (x0 + 110, y0 + 85), (x0 + 150, y0 + 45)]
        draw.line(trace, fill=(120, 220, 160), width=4)
    for n in range(3):
        draw.ellipse([x1 - 60 - 40 * n, y0 + 40, x1 - 36 - 40 * n, y0 + 64], fill=(90, 110, 130))


def _microscope(draw) -> None:
    _bench(draw)
    _cabinet(draw, (120, 330, 520, 500))
    draw.rounded_rectangle([560, 140, 660, 500], radius=20, fill=WHITE)  # the column
    draw.rectangle([585, 100, 635, 150], fill=PALE)
    draw.ellipse([570, 380, 650, 460], outline=(60, 80, 100), width=6)


def _stack(draw) -> None:
    _bench(draw)
    for n, height in enumerate((170, 230, 150)):
        x0 = 110 + n * 200
        _cabinet(draw, (x0, 500 - height, x0 + 180, 500), screen=n == 1)
    draw.line([(290, 360), (310, 360)], fill=WHITE, width=8)
    draw.line([(490, 380), (510, 380)], fill=WHITE, width=8)


def _magnet(draw) -> None:
    _bench(draw)
    draw.ellipse([230, 120, 470, 200], fill=WHITE)
    draw.rectangle([230, 160, 470, 460], fill=WHITE)
    draw.ellipse([230, 420, 470, 500], fill=PALE)
    draw.rectangle([520, 360, 700, 500], fill=WHITE)


def _waves(draw) -> None:
    for row in range(6):
        y = 330 + row * 40
        points = [(x, y + (12 if (x // 60) % 2 else -12)) for x in range(0, 820, 60)]
        draw.line(points, fill=(200, 230, 245), width=5, joint="curve")
    draw.rectangle([380, 140, 420, 330], fill=WHITE)  # a mast or cable
    draw.polygon([(340, 140), (460, 140), (400, 80)], fill=WHITE)


def _vehicle(draw) -> None:
    for row in range(3):
        y = 90 + row * 30
        draw.line([(0, y), (800, y + 10)], fill=(120, 180, 220), width=3)
    draw.rounded_rectangle([180, 260, 620, 380], radius=60, fill=WHITE)
    draw.rectangle([300, 200, 420, 262], fill=WHITE)
    draw.polygon([(620, 300), (700, 260), (700, 380), (620, 340)], fill=PALE)
    draw.ellipse([210, 290, 260, 340], fill=(250, 200, 60))


def _sonar(draw) -> None:
    _waves(draw)
    for radius in (60, 110, 160):
        draw.arc(
            [400 - radius, 480 - radius, 400 + radius, 480 + radius], 200, 340, fill=WHITE, width=5
        )


def _chamber(draw) -> None:
    _bench(draw)
    draw.rounded_rectangle([200, 140, 600, 500], radius=24, fill=WHITE)
    draw.rounded_rectangle([250, 190, 480, 440], radius=16, fill=(60, 80, 100))
    draw.rectangle([500, 200, 570, 260], fill=(40, 60, 80))


def _press(draw) -> None:
    _bench(draw)
    draw.rectangle([220, 120, 260, 500], fill=WHITE)
    draw.rectangle([540, 120, 580, 500], fill=WHITE)
    draw.rectangle([220, 110, 580, 160], fill=WHITE)
    draw.rectangle([300, 300, 500, 330], fill=PALE)
    draw.rectangle([380, 330, 420, 420], fill=(250, 200, 60))


DRAWINGS = {
    "electron-microscopy": _microscope,
    "mass-spectrometry": _stack,
    "chromatography": _stack,
    "spectroscopy": _stack,
    "x-ray": _chamber,
    "nmr": _magnet,
    "sequencing": _stack,
    "ocean-observation": _waves,
    "underwater-vehicles": _vehicle,
    "acoustic-survey": _sonar,
    "environmental-testing": _chamber,
    "materials-testing": _press,
    "other": _stack,
}


def illustration(category: str) -> Image.Image:
    """The demo picture of an instrument of `category`."""
    image = _background(category)
    DRAWINGS.get(category, _stack)(ImageDraw.Draw(image))
    return image
