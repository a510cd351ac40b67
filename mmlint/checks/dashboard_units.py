"""A dashboard panel that shows numbers without a unit, or with a unit id Grafana does not know.

Checked: `timeseries`, `stat`, `gauge`, `bargauge` and the legacy `graph` and `singlestat` panels. The unit
is `fieldConfig.defaults.unit` or a `unit` override (the legacy panels: `yaxes[0].format`, `format`). A panel
whose values are text through value mappings, or a stat panel showing non-numeric fields, needs none.
A unit must be one of Grafana's unit ids (packages/grafana-data/src/valueFormats/categories.ts) or a custom
unit (`prefix:`, `suffix:`, `si:`, `count:`, `currency:`, `time:`, `bool:`, as getValueFormat reads them).
Grafana prints any other id after the value as is, which is rarely what was meant (`seconds` for `s`).
This is grafana/dashboard-linter's panel-units-rule.

Why: `0.25` is a ratio, a latency or a count depending on the unit; without one the reader guesses.

Bad:

    "fieldConfig": {"defaults": {}}                       or   {"defaults": {"unit": "seconds"}}

Good:

    "fieldConfig": {"defaults": {"unit": "s"}}            or   {"defaults": {"unit": "suffix: bps"}}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mmlint.problem import Finding, Severity
from mmlint.project import Panel, Project
from mmlint.sources.positions import Node, Scalar, Sequence, node_at

ID = "dashboard/units"
SEVERITY = Severity.WARNING

CHECKED_TYPES = frozenset({"timeseries", "stat", "gauge", "bargauge", "graph", "singlestat"})
CUSTOM_PREFIXES = ("prefix:", "suffix:", "si:", "count:", "currency:", "time:", "bool:")
# Grafana's unit ids (valueFormats/categories.ts, union of releases 7 to 12), by category.
_UNIT_LINES = (
    # Misc
    "none string short sishort percent percentunit humidity dB candela hex0x hex sci locale pixel "
    # Acceleration, angle, area, computation
    "accMS2 accFS2 accG degree radian grad arcmin arcsec areaM2 areaF2 areaMI2 acres hectares "
    "flops mflops gflops tflops pflops eflops zflops yflops "
    # Concentration
    "ppm conppb conngm3 conngNm3 conμgm3 conμgNm3 conmgm3 conmgNm3 congm3 congNm3 conmgdL conmmolL "
    # Currency
    "currencyUSD currencyGBP currencyEUR currencyJPY currencyRUB currencyUAH currencyBRL currencyDKK "
    "currencyISK currencyNOK currencySEK currencyCZK currencyCHF currencyPLN currencyBTC currencymBTC "
    "currencyμBTC currencyZAR currencyINR currencyKRW currencyIDR currencyPHP currencyVND currencyTRY "
    "currencyMYR currencyXPF currencyBGN currencyPYG currencyUYU currencyILS "
    # Data, data rate
    "bytes decbytes bits decbits kbytes deckbytes mbytes decmbytes gbytes decgbytes tbytes dectbytes "
    "pbytes decpbytes pps binBps Bps binbps bps KiBs Kibits KBs Kbits MiBs Mibits MBs Mbits GiBs Gibits "
    "GBs Gbits TiBs Tibits TBs Tbits PiBs Pibits PBs Pbits "
    # Date & time
    "dateTimeAsIso dateTimeAsIsoNoDateIfToday dateTimeAsUS dateTimeAsUSNoDateIfToday dateTimeAsLocal "
    "dateTimeAsLocalNoDateIfToday dateTimeAsSystem dateTimeFromNow "
    # Energy
    "watt kwatt megwatt gwatt mwatt Wm2 voltamp kvoltamp voltampreact kvoltampreact watth watthperkg "
    "kwatth kwattm mwatth amph kamph mamph joule ev amp kamp mamp volt kvolt mvolt dBm mohm ohm kohm Mohm "
    "farad µfarad nfarad pfarad ffarad henry mhenry µhenry lumens "
    # Flow, force, hash rate, mass, length, pressure
    "flowgpm flowcms flowcfs flowcfm litreh flowlpm flowmlpm lux forceNm forcekNm forceN forcekN "
    "Hs KHs MHs GHs THs PHs EHs massmg massg masslb masskg masst "
    "lengthmm lengthin lengthft lengthm lengthkm lengthmi "
    "pressurembar pressurebar pressurekbar pressurepa pressurehpa pressurekpa pressurehg pressurepsi "
    # Radiation, rotational speed, temperature
    "radbq radci radgy radrad radsv radmsv radusv radrem radexpckg radr radsvh radmsvh radusvh "
    "rotrpm rothz rotkhz rotmhz rotghz rotrads rotdegs celsius fahrenheit farenheit kelvin "
    # Time, throughput
    "hertz ns µs ms s m h d dtdurationms dtdurations dthms dtdhms timeticks clockms clocks "
    "cps ops reqps rps wps iops eps mps recps rowsps cpm opm reqpm rpm wpm epm mpm recpm rowspm "
    # Velocity, volume, boolean
    "velocityms velocitykmh velocitymph velocityknot mlitre litre m3 Nm3 dm3 gallons "
    "bool bool_yes_no bool_on_off",
)
UNITS = frozenset(unit for line in _UNIT_LINES for unit in line.split())


def is_known(unit: str) -> bool:
    return unit in UNITS or unit.startswith(CUSTOM_PREFIXES)


def mapped_to_text(panel: Mapping[str, object]) -> bool:
    """Value mappings turn the numbers into text; a stat panel with `reduceOptions.fields` shows fields."""
    defaults = node_value(panel, "fieldConfig", "defaults")
    if isinstance(defaults, Mapping) and defaults.get("mappings"):
        return True
    fields = node_value(panel, "options", "reduceOptions", "fields")
    return panel.get("type") == "stat" and isinstance(fields, str) and fields != ""


def node_value(data: object, *path: str) -> object:
    for key in path:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def unit_nodes(panel: Panel) -> list[Node]:
    """Where the panel sets a unit, in order of precedence; legacy panels keep theirs elsewhere."""
    if panel.type == "graph":
        found = node_at(panel.node, ("yaxes", 0, "format"))
        return [found] if found is not None else []
    if panel.type == "singlestat":
        found = node_at(panel.node, ("format",))
        return [found] if found is not None else []
    nodes: list[Node] = []
    overrides = node_at(panel.node, ("fieldConfig", "overrides"))
    for override in overrides.items if isinstance(overrides, Sequence) else ():
        properties = node_at(override, ("properties",))
        for prop in properties.items if isinstance(properties, Sequence) else ():
            kind, value = node_at(prop, ("id",)), node_at(prop, ("value",))
            if isinstance(kind, Scalar) and kind.value == "unit" and value is not None:
                nodes.append(value)
    default = node_at(panel.node, ("fieldConfig", "defaults", "unit"))
    return nodes + ([default] if default is not None else [])


def check(project: Project) -> Iterator[Finding]:
    for dashboard in project.dashboards:
        for panel in dashboard.panels:
            if panel.type not in CHECKED_TYPES or mapped_to_text(panel.data):
                continue
            name = f"panel `{panel.title or panel.id}`"
            every = unit_nodes(panel)
            nodes = [n for n in every if not isinstance(n, Scalar) or n.value]
            units = [(n, n.value if isinstance(n, Scalar) else None) for n in nodes]
            if not units:
                # An emptied `"unit": ""` is the spot to fix; without one, the `defaults` that lacks it.
                where = (every[-1] if every else None) or node_at(panel.node, ("fieldConfig", "defaults"))
                where = where or panel.node.get("title")
                hint = "set Standard options > Unit"
                yield Finding((where or panel.node).location, f"{name} has no unit", hint)
            for node, unit in units:
                if not isinstance(unit, str) or not is_known(unit):
                    yield Finding(
                        node.location,
                        f"{name} has unit `{unit}`, which is not a Grafana unit id",
                        "pick one from Standard options > Unit, or write `suffix:<text>` for a custom one",
                    )
