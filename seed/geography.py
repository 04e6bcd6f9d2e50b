"""The park's site plan: where the park is, its boundary (园区四至) and its plots (地块).

The plan is drawn in local metres (x east, y north) as a real planning map would be:
five zones (A–E) of rectangular blocks separated by main and secondary roads, a few
corner blocks left out and a few blocks split into smaller parcels, a boundary that
follows the blocks at a margin with a few outward bulges, and the whole plan turned by a
small angle. It is then placed in longitude and latitude around the park's centre.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from itertools import pairwise

METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0
ZONES = "ABCDE"

Point = tuple[float, float]


@dataclass(frozen=True)
class ParkSite:
    """A fictional park in a real county of inland China."""

    name: str
    name_en: str
    short: str  # the place name enterprises put before their trade name
    short_en: str
    province: str
    province_en: str
    licence_province: str  # the province's one-character abbreviation on licences, e.g. 赣
    region_code: str  # the county's administrative division code (USCC digits 3–8)
    center_lat: float
    center_lon: float


SITES: tuple[ParkSite, ...] = (
    ParkSite("青岚经济技术开发区", "Qinglan Economic and Technological Development Zone", "青岚", "Qinglan",
             "江西", "Jiangxi", "赣", "360123", 28.8416, 115.5534),
    ParkSite("望川化工园区", "Wangchuan Chemical Industry Park", "望川", "Wangchuan",
             "湖北", "Hubei", "鄂", "420984", 30.6612, 113.8297),
    ParkSite("石岗工业园区", "Shigang Industrial Park", "石岗", "Shigang",
             "安徽", "Anhui", "皖", "340122", 31.8807, 117.4683),
)


@dataclass(frozen=True)
class PlotShape:
    """One plot: its code and its rectangle on the unrotated plan (metres)."""

    code: str
    zone: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class SitePlan:
    """The park's boundary and plots, and the conversion from plan metres to degrees."""

    site: ParkSite
    angle: float  # radians the plan is turned by
    pivot: Point  # the plan point that lands on the park's centre
    center_lat: float
    center_lon: float
    boundary: list[Point]  # plan metres, counter-clockwise, closed
    plots: list[PlotShape] = field(default_factory=list)

    # --- plan metres <-> degrees ---

    def _metres_per_degree_lon(self) -> float:
        return METRES_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(self.center_lat))

    def to_lonlat(self, x: float, y: float) -> Point:
        """Longitude and latitude (rounded to 1e-6°, about 0.1 m) of a point of the plan."""
        dx, dy = x - self.pivot[0], y - self.pivot[1]
        cos_a, sin_a = math.cos(self.angle), math.sin(self.angle)
        east, north = dx * cos_a - dy * sin_a, dx * sin_a + dy * cos_a
        lon = self.center_lon + east / self._metres_per_degree_lon()
        lat = self.center_lat + north / METRES_PER_DEGREE_LAT
        return round(lon, 6), round(lat, 6)

    def ring_area_m2(self, ring: list[list[float]]) -> float:
        """The area of a lon/lat ring, in square metres (shoelace on the local projection)."""
        kx, ky = self._metres_per_degree_lon(), METRES_PER_DEGREE_LAT
        pts = [((lon - self.center_lon) * kx, (lat - self.center_lat) * ky) for lon, lat in ring]
        twice = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(pts))
        return abs(twice) / 2

    # --- GeoJSON ---

    def boundary_ring(self) -> list[list[float]]:
        return [list(self.to_lonlat(x, y)) for x, y in self.boundary]

    def boundary_geojson(self) -> str:
        return json.dumps({"type": "Polygon", "coordinates": [self.boundary_ring()]}, separators=(",", ":"))

    def plot_ring(self, plot: PlotShape) -> list[list[float]]:
        corners = [(plot.x0, plot.y0), (plot.x1, plot.y0), (plot.x1, plot.y1), (plot.x0, plot.y1), (plot.x0, plot.y0)]
        return [list(self.to_lonlat(x, y)) for x, y in corners]

    def plot_geojson(self, plot: PlotShape) -> str:
        return json.dumps({"type": "Polygon", "coordinates": [self.plot_ring(plot)]}, separators=(",", ":"))

    def point_in_plot(self, plot: PlotShape, rng: random.Random) -> tuple[float, float]:
        """A (lat, lon) inside the plot, away from its edges (a building on the parcel)."""
        inset_x, inset_y = (plot.x1 - plot.x0) * 0.12, (plot.y1 - plot.y0) * 0.12
        x = rng.uniform(plot.x0 + inset_x, plot.x1 - inset_x)
        y = rng.uniform(plot.y0 + inset_y, plot.y1 - inset_y)
        lon, lat = self.to_lonlat(x, y)
        return lat, lon

    def plots_in_zones(self, zones: str) -> list[int]:
        """Indexes of the plots in any of these zones (all plots when none match)."""
        found = [i for i, plot in enumerate(self.plots) if plot.zone in zones]
        return found or list(range(len(self.plots)))


# The plan: 10 block columns (two per zone) by 4 block rows.
_COLUMNS, _ROWS = 10, 4
_MAIN_ROAD, _SECONDARY_ROAD, _ROW_ROAD, _INNER_ROAD = 40.0, 24.0, 30.0, 16.0
_BOUNDARY_MARGIN = 45.0
_LEFT_OUT = {(0, 0), (8, 3), (9, 3)}  # (column, row) blocks outside the park: its irregular corners
_SPLIT = {(4, 1), (4, 2), (5, 2)}  # blocks divided into two parcels (标准厂房 for small firms)


def draw_site_plan(rng: random.Random) -> SitePlan:
    """The park's plan; the same generator state draws the same plan."""
    site = rng.choice(SITES)
    widths = [rng.uniform(230, 300) for _ in range(_COLUMNS)]
    heights = [rng.uniform(400, 480) for _ in range(_ROWS)]
    lefts: list[float] = []
    x = 0.0
    for c, width in enumerate(widths):
        lefts.append(x)
        x += width + (_MAIN_ROAD if c % 2 == 1 else _SECONDARY_ROAD)
    bottoms: list[float] = []
    y = 0.0
    for height in heights:
        bottoms.append(y)
        y += height + _ROW_ROAD

    cells: dict[str, list[tuple[int, float, float, float, float]]] = {zone: [] for zone in ZONES}
    for c in range(_COLUMNS):
        for r in range(_ROWS):
            if (c, r) in _LEFT_OUT:
                continue
            x0, x1, y0, y1 = lefts[c], lefts[c] + widths[c], bottoms[r], bottoms[r] + heights[r]
            zone = ZONES[c // 2]
            if (c, r) in _SPLIT:
                middle = (y0 + y1) / 2
                cells[zone].append((c, x0, middle + _INNER_ROAD / 2, x1, y1))
                cells[zone].append((c, x0, y0, x1, middle - _INNER_ROAD / 2))
            else:
                cells[zone].append((c, x0, y0, x1, y1))
    plots: list[PlotShape] = []
    for zone in ZONES:
        # numbered as on a planning map: north to south, then west to east
        ordered = sorted(cells[zone], key=lambda cell: (-cell[4], cell[1]))
        for number, (_c, x0, y0, x1, y1) in enumerate(ordered, start=1):
            plots.append(PlotShape(f"{zone}-{number:02d}", zone, round(x0, 1), round(y0, 1), round(x1, 1),
                                   round(y1, 1)))

    boundary = _boundary(lefts, widths, bottoms, heights, rng)
    pivot = (x / 2, y / 2)
    center_lat = round(site.center_lat + rng.uniform(-0.01, 0.01), 6)
    center_lon = round(site.center_lon + rng.uniform(-0.01, 0.01), 6)
    angle = math.radians(rng.uniform(-14, 14))
    return SitePlan(site, angle, pivot, center_lat, center_lon, boundary, plots)


def _boundary(lefts: list[float], widths: list[float], bottoms: list[float], heights: list[float],
              rng: random.Random) -> list[Point]:
    """The outline of the blocks at a margin, counter-clockwise, with a few outward bulges."""
    m = _BOUNDARY_MARGIN
    kept = [[r for r in range(_ROWS) if (c, r) not in _LEFT_OUT] for c in range(_COLUMNS)]
    low = [bottoms[min(rows)] - m for rows in kept]
    high = [bottoms[max(rows)] + heights[max(rows)] + m for rows in kept]
    west = lefts[0] - m
    east = lefts[-1] + widths[-1] + m
    # x where the outline may step: halfway across the road between two columns
    steps = [(lefts[c] + widths[c] + lefts[c + 1]) / 2 for c in range(_COLUMNS - 1)]

    points: list[Point] = [(west, low[0])]
    for c in range(_COLUMNS - 1):  # along the south side, eastwards
        points += [(steps[c], low[c]), (steps[c], low[c + 1])]
    points += [(east, low[-1]), (east, high[-1])]
    for c in range(_COLUMNS - 1, 0, -1):  # along the north side, westwards
        points += [(steps[c - 1], high[c]), (steps[c - 1], high[c - 1])]
    points += [(west, high[0])]
    points = _without_redundant(points)

    bulged: list[Point] = []
    for i, (x0, y0) in enumerate(points):
        x1, y1 = points[(i + 1) % len(points)]
        bulged.append((round(x0, 1), round(y0, 1)))
        length = math.hypot(x1 - x0, y1 - y0)
        if length < 500:
            continue
        # outward normal of a counter-clockwise ring points to the right of the direction of travel
        nx, ny = (y1 - y0) / length, -(x1 - x0) / length
        for t in sorted(rng.uniform(0.2, 0.8) for _ in range(rng.randint(1, 2))):
            push = rng.uniform(10, 70)
            bulged.append((round(x0 + t * (x1 - x0) + nx * push, 1), round(y0 + t * (y1 - y0) + ny * push, 1)))
    bulged.append(bulged[0])
    return bulged


def _without_redundant(points: list[Point]) -> list[Point]:
    """Drop repeated points and points in the middle of a straight run."""
    unique = [p for i, p in enumerate(points) if p != points[i - 1]]
    kept: list[Point] = []
    for i, (x, y) in enumerate(unique):
        (xp, yp), (xn, yn) = unique[i - 1], unique[(i + 1) % len(unique)]
        if abs((x - xp) * (yn - y) - (y - yp) * (xn - x)) > 1e-6:
            kept.append((x, y))
    return kept
