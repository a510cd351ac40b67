# ruff: noqa: E501  (the tables hold Go's output verbatim, one case a line)
"""Alert templates (mmlint.ruletest.templates) against Go text/template and Prometheus 2.42.

TEMPLATES and PARSE_ERRORS hold what promtool 2.42 produced for each template in an alert annotation
(annotation values from `promtool test rules`, load errors from `promtool check rules`), with the alert
data below; the `query` function sees the two `q` series a fake engine returns, in the order promtool's engine
returned them in the run the rows come from (its order varies from run to run).
"""

from __future__ import annotations

import pytest

from mmlint.promql.values import Sample, Vector
from mmlint.ruletest.templates import (
    TemplateData,
    TemplateError,
    check_syntax,
    expand,
    expand_value,
    static_errors,
)

LABELS = {"instance": "host1.example.com:9100", "job": "node"}
EXTERNAL_LABELS = {"cluster": "c1"}
EXTERNAL_URL = "http://prom.example.com/prefix"


def query(expr: str) -> Vector:
    """The `q` series of the promtool test (in the order its engine returned them) and an empty `none`."""
    if expr == "q":
        return Vector(
            [
                Sample((("__name__", "q"), ("instance", "a"), ("job", "x")), 0, 0.5),
                Sample((("__name__", "q"), ("instance", "b"), ("job", "y")), 0, 2.0),
            ]
        )
    assert expr == "none"
    return Vector([])


def data(value: str) -> TemplateData:
    return TemplateData(LABELS, float(value.replace("Inf", "inf")), EXTERNAL_LABELS, EXTERNAL_URL)


# (alert name, template, alert value, the annotation promtool produced)
TEMPLATES = [
    ("T0", "{{ $value }}", "1", "1"),
    ("T1", "{{ $value }}", "1234567", "1.234567e+06"),
    ("T2", "{{ $value }}", "1.9999999999999998", "1.9999999999999998"),
    ("T3", "{{ $value }}", "1e21", "1e+21"),
    ("T4", "{{ $value }}", "1e20", "1e+20"),
    ("T5", "{{ $value }}", "0.00001", "1e-05"),
    ("T6", "{{ $value }}", "0.0001", "0.0001"),
    ("T7", "{{ $value }}", "123456", "123456"),
    ("T8", "{{ $value }}", "-0.5", "-0.5"),
    ("T9", "{{ $value }}", "NaN", "NaN"),
    ("T10", "{{ $value }}", "+Inf", "+Inf"),
    ("T11", "{{ $value }}", "-Inf", "-Inf"),
    ("T12", "{{ $value }}", "0.30000000000000004", "0.30000000000000004"),
    ("T13", "{{ $value }}", "100", "100"),
    ("T14", "{{ $value }}", "1e100", "1e+100"),
    ("T15", "{{ $value }}", "5e-324", "5e-324"),
    ("T16", "{{ humanize $value }}", "0", "0"),
    ("T17", "{{ humanize $value }}", "1234567", "1.235M"),
    ("T18", "{{ humanize $value }}", "0.000123", "123u"),
    ("T19", "{{ humanize $value }}", "999.99999", "1000"),
    ("T20", "{{ humanize $value }}", "-1500", "-1.5k"),
    ("T21", "{{ humanize $value }}", "1e30", "1e+06Y"),
    ("T22", "{{ humanize $value }}", "NaN", "NaN"),
    ("T23", "{{ humanize $value }}", "+Inf", "+Inf"),
    ("T24", "{{ humanize $value }}", "1e-30", "1e-06y"),
    ("T25", "{{ humanize $value }}", "0.5", "500m"),
    ("T26", "{{ humanize1024 $value }}", "1024", "1ki"),
    ("T27", "{{ humanize1024 $value }}", "1", "1"),
    ("T28", "{{ humanize1024 $value }}", "0.5", "0.5"),
    ("T29", "{{ humanize1024 $value }}", "1048576000", "1000Mi"),
    ("T30", "{{ humanize1024 $value }}", "-2048", "-2ki"),
    ("T31", "{{ humanize1024 $value }}", "1e30", "8.272e+05Yi"),
    ("T32", "{{ humanizeDuration $value }}", "0", "0s"),
    ("T33", "{{ humanizeDuration $value }}", "1.5", "1.5s"),
    ("T34", "{{ humanizeDuration $value }}", "59.99", "59.99s"),
    ("T35", "{{ humanizeDuration $value }}", "60", "1m 0s"),
    ("T36", "{{ humanizeDuration $value }}", "3661", "1h 1m 1s"),
    ("T37", "{{ humanizeDuration $value }}", "90061.7", "1d 1h 1m 1s"),
    ("T38", "{{ humanizeDuration $value }}", "-3661", "-1h 1m 1s"),
    ("T39", "{{ humanizeDuration $value }}", "0.0015", "1.5ms"),
    ("T40", "{{ humanizeDuration $value }}", "NaN", "NaN"),
    ("T41", "{{ humanizeDuration $value }}", "-0.5", "-500ms"),
    ("T42", "{{ humanizeDuration $value }}", "1e20", "-106751991167300d -15h -30m -8s"),
    ("T43", "{{ humanizePercentage $value }}", "0.1234", "12.34%"),
    ("T44", "{{ humanizePercentage $value }}", "1", "100%"),
    ("T45", "{{ humanizePercentage $value }}", "0.000001", "0.0001%"),
    ("T46", "{{ humanizePercentage $value }}", "12.3456789", "1235%"),
    ("T47", "{{ humanizeTimestamp $value }}", "1.5", "1970-01-01 00:00:01.5 +0000 UTC"),
    ("T48", "{{ humanizeTimestamp $value }}", "1700000000.123456", "2023-11-14 22:13:20.123 +0000 UTC"),
    ("T49", "{{ humanizeTimestamp $value }}", "-1.5", "1969-12-31 23:59:58.5 +0000 UTC"),
    ("T50", "{{ humanizeTimestamp $value }}", "NaN", "NaN"),
    (
        "T51",
        "{{ humanizeTimestamp $value }}",
        "1e19",
        '<error expanding template: error executing template __alert_T51: template: __alert_T51:1:115: executing "__alert_T51" at <humanizeTimestamp $value>: error calling humanizeTimestamp: 1e+19 cannot be represented as a nanoseconds timestamp since it overflows int64>',
    ),
    ("T52", '{{ printf "%.2f" $value }}', "3.14159", "3.14"),
    (
        "T53",
        '{{ printf "%5.1f|%-8.3f|%08.2f|%+.1e" $value $value $value $value }}',
        "3.14159",
        "  3.1|3.142   |00003.14|+3.1e+00",
    ),
    (
        "T54",
        '{{ printf "%g %G %e %E %v" $value $value $value $value $value }}',
        "1e-7",
        "1e-07 1E-07 1.000000e-07 1.000000E-07 1e-07",
    ),
    ("T55", '{{ printf "%d" $value }}', "1", "%!d(float64=1)"),
    ("T56", '{{ printf "%s" $value }}', "1", "%!s(float64=1)"),
    (
        "T57",
        '{{ printf "%q %x %X %10s|%-10s|" "hi" "hi" "hi" "hi" "hi" }}',
        "1",
        '"hi" 6869 6869         hi|hi        |',
    ),
    (
        "T58",
        '{{ printf "%d %5d %-5d| %05d %x %o %b %+d" 42 42 42 42 255 8 5 3 }}',
        "1",
        "42    42 42   | 00042 ff 10 101 +3",
    ),
    ("T59", '{{ printf "%s" }}', "1", "%!s(MISSING)"),
    ("T60", '{{ printf "%s" 1 2 }}', "1", "%!s(int=1)%!(EXTRA int=2)"),
    ("T61", '{{ printf "%!" 1 }}', "1", "%!!(int=1)"),
    ("T62", '{{ printf "%.3s" "abcdef" }}', "1", "abc"),
    (
        "T63",
        '{{ printf "%v %v %v" true nil $labels }}',
        "1",
        "true <nil> map[instance:host1.example.com:9100 job:node]",
    ),
    ("T64", '{{ printf "%T %T %T" 1 1.5 "s" }}', "1", "int float64 string"),
    ("T65", '{{ printf "%#v" 1.0 }}', "1", "1"),
    ("T66", '{{ printf "%#g" 1.0 }}', "1", "1.00000"),
    ("T67", '{{ printf "%x" 1.5 }}', "1", "0x1.8p+00"),
    ("T68", '{{ printf "%.3g" 1234.5678 }}', "1", "1.23e+03"),
    ("T69", '{{ printf "%6.2f%%" 99.5 }}', "1", " 99.50%"),
    ("T70", '{{ printf "%[2]s %[1]s" "a" "b" }}', "1", "b a"),
    ("T71", '{{ printf "%*d" 5 42 }}', "1", "   42"),
    ("T72", '{{ printf "%c %U %q" 65 65 65 }}', "1", "A U+0041 'A'"),
    ("T73", '{{ printf "% x" "hi" }}', "1", "68 69"),
    ("T74", '{{ printf "%t" true }}', "1", "true"),
    ("T75", '{{ printf "%v" 1e6 }}', "1", "1e+06"),
    (
        "T0",
        "{{ $labels.instance }}|{{ $labels.missing }}|{{ .Labels.job }}",
        "1",
        "host1.example.com:9100||node",
    ),
    (
        "T1",
        "{{ $externalLabels.cluster }} {{ $externalURL }} {{ .ExternalURL }}",
        "1",
        "c1 http://prom.example.com/prefix http://prom.example.com/prefix",
    ),
    (
        "T2",
        "{{ . }}",
        "1.5",
        "{map[instance:host1.example.com:9100 job:node] map[cluster:c1] http://prom.example.com/prefix 1.5}",
    ),
    (
        "T3",
        "{{ $value.foo }}",
        "1",
        '<error expanding template: error executing template __alert_T3: template: __alert_T3:1:121: executing "__alert_T3" at <$value.foo>: can\'t evaluate field foo in type float64>',
    ),
    (
        "T4",
        "{{ .Foo }}",
        "1",
        '<error expanding template: error executing template __alert_T4: template: __alert_T4:1:115: executing "__alert_T4" at <.Foo>: can\'t evaluate field Foo in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }>',
    ),
    (
        "T5",
        "{{ $labels.instance.x }}",
        "1",
        '<error expanding template: error executing template __alert_T5: template: __alert_T5:1:122: executing "__alert_T5" at <$labels.instance.x>: can\'t evaluate field x in type string>',
    ),
    (
        "T6",
        "{{ .Labels.job 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T6: template: __alert_T6:1:122: executing "__alert_T6" at <.Labels.job>: job is not a method but has arguments>',
    ),
    (
        "T7",
        "{{ $value 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T7: template: __alert_T7:1:115: executing "__alert_T7" at <$value>: can\'t give argument to non-function $value>',
    ),
    (
        "T8",
        '{{ humanize "abc" }}',
        "1",
        '<error expanding template: error executing template __alert_T8: template: __alert_T8:1:115: executing "__alert_T8" at <humanize "abc">: error calling humanize: strconv.ParseFloat: parsing "abc": invalid syntax>',
    ),
    (
        "T9",
        "{{ humanize true }}",
        "1",
        '<error expanding template: error executing template __alert_T9: template: __alert_T9:1:115: executing "__alert_T9" at <humanize true>: error calling humanize: can\'t convert bool to float>',
    ),
    ("T10", '{{ humanize "1e3" }}', "1", "1k"),
    ("T11", "{{ humanize 1500 }}", "1", "1.5k"),
    (
        "T12",
        "{{ humanize }}",
        "1",
        '<error expanding template: error executing template __alert_T12: template: __alert_T12:1:115: executing "__alert_T12" at <humanize>: wrong number of args for humanize: want 1 got 0>',
    ),
    (
        "T13",
        "{{ humanize 1 2 }}",
        "1",
        '<error expanding template: error executing template __alert_T13: template: __alert_T13:1:115: executing "__alert_T13" at <humanize>: wrong number of args for humanize: want 1 got 2>',
    ),
    (
        "T14",
        "{{ externalURL }}",
        "1",
        '<error expanding template: error executing template __alert_T14: template: __alert_T14:1:115: executing "__alert_T14" at <externalURL>: error calling externalURL: runtime error: invalid memory address or nil pointer dereference>',
    ),
    (
        "T15",
        "{{ pathPrefix }}",
        "1",
        '<error expanding template: error executing template __alert_T15: template: __alert_T15:1:115: executing "__alert_T15" at <pathPrefix>: error calling pathPrefix: runtime error: invalid memory address or nil pointer dereference>',
    ),
    (
        "T16",
        "{{ toUpper 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T16: template: __alert_T16:1:123: executing "__alert_T16" at <1>: expected string; found 1>',
    ),
    (
        "T17",
        "{{ toUpper $value }}",
        "1",
        '<error expanding template: error executing template __alert_T17: template: __alert_T17:1:123: executing "__alert_T17" at <$value>: wrong type for value; expected string; got float64>',
    ),
    (
        "T18",
        "{{ 1 | toUpper }}",
        "1",
        '<error expanding template: error executing template __alert_T18: template: __alert_T18:1:119: executing "__alert_T18" at <toUpper>: wrong type for value; expected string; got int>',
    ),
    ("T19", '{{ query "q" | first | value }}', "1", "0.5"),
    ("T20", '{{ range query "q" }}{{ .Labels.instance }}={{ .Value }};{{ end }}', "1", "a=0.5;b=2;"),
    ("T21", '{{ range $i, $s := query "q" }}{{ $i }}:{{ $s | label "job" }} {{ end }}', "1", "0:x 1:y "),
    ("T22", '{{ with query "none" }}yes{{ else }}no{{ end }}', "1", "no"),
    (
        "T23",
        '{{ query "none" | first }}',
        "1",
        '<error expanding template: error executing template __alert_T23: template: __alert_T23:1:130: executing "__alert_T23" at <first>: error calling first: first() called on vector with no elements>',
    ),
    ("T24", '{{ (query "q" | first).Labels.instance }}', "1", "a"),
    ("T25", '{{ query "q" | first }}', "1", "{map[__name__:q instance:a job:x] 0.5}"),
    ("T26", '{{ range query "q" | sortByLabel "job" }}{{ .Labels.job }}{{ end }}', "1", "xy"),
    ("T27", '{{ len (query "q") }}', "1", "2"),
    ("T28", '{{ index (query "q") 1 | value }}', "1", "2"),
    ("T29", '{{ query "q" | first | strvalue }}|', "1", "|"),
    ("T30", "{{ if eq $value 1.0 }}one{{ else if gt $value 1.0 }}more{{ else }}less{{ end }}", "2", "more"),
    (
        "T31",
        "{{ if eq $value 1 }}x{{ end }}",
        "1",
        '<error expanding template: error executing template __alert_T31: template: __alert_T31:1:118: executing "__alert_T31" at <eq $value 1>: error calling eq: incompatible types for comparison>',
    ),
    ("T32", '{{ if lt 1 2 }}a{{ end }}{{ if le "a" "b" }}b{{ end }}{{ if ne 1 2 }}c{{ end }}', "1", "abc"),
    (
        "T33",
        '{{ eq 1 "a" }}',
        "1",
        '<error expanding template: error executing template __alert_T33: template: __alert_T33:1:115: executing "__alert_T33" at <eq 1 "a">: error calling eq: incompatible types for comparison>',
    ),
    (
        "T34",
        "{{ lt true false }}",
        "1",
        '<error expanding template: error executing template __alert_T34: template: __alert_T34:1:115: executing "__alert_T34" at <lt true false>: error calling lt: invalid type for comparison>',
    ),
    (
        "T35",
        "{{ eq }}",
        "1",
        '<error expanding template: error executing template __alert_T35: template: __alert_T35:1:115: executing "__alert_T35" at <eq>: wrong number of args for eq: want at least 1 got 0>',
    ),
    (
        "T36",
        "{{ eq 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T36: template: __alert_T36:1:115: executing "__alert_T36" at <eq 1>: error calling eq: missing argument for comparison>',
    ),
    ("T37", '{{ eq "a" "b" "a" }}', "1", "true"),
    ("T38", '{{ and 1 0 2 }}|{{ or 0 "" nil }}|{{ or 0 "x" }}|{{ not "" }}', "1", "0|<no value>|x|true"),
    (
        "T39",
        '{{ len "héllo" }} {{ len $labels }} {{ index "abc" 1 }} {{ index $labels "job" }}|{{ index $labels "nope" }}|',
        "1",
        "6 2 98 node||",
    ),
    (
        "T40",
        '{{ index "abc" 5 }}',
        "1",
        '<error expanding template: error executing template __alert_T40: template: __alert_T40:1:115: executing "__alert_T40" at <index "abc" 5>: error calling index: index out of range: 5>',
    ),
    (
        "T41",
        '{{ index "abc" 3 }}',
        "1",
        '<error expanding template: error executing template __alert_T41: template: __alert_T41:1:115: executing "__alert_T41" at <index "abc" 3>: error calling index: reflect: string index out of range>',
    ),
    (
        "T42",
        "{{ index $labels 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T42: template: __alert_T42:1:115: executing "__alert_T42" at <index $labels 1>: error calling index: value has type int; should be string>',
    ),
    (
        "T43",
        "{{ index 1 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T43: template: __alert_T43:1:115: executing "__alert_T43" at <index 1 1>: error calling index: can\'t index item of type int>',
    ),
    ("T44", '{{ slice "abcdef" 1 3 }} {{ slice "abcdef" 2 }} {{ slice "abc" }}', "1", "bc cdef abc"),
    (
        "T45",
        '{{ slice "abc" 2 1 }}',
        "1",
        '<error expanding template: error executing template __alert_T45: template: __alert_T45:1:115: executing "__alert_T45" at <slice "abc" 2 1>: error calling slice: invalid slice index: 2 > 1>',
    ),
    (
        "T46",
        "{{ len 3 }}",
        "1",
        '<error expanding template: error executing template __alert_T46: template: __alert_T46:1:115: executing "__alert_T46" at <len 3>: error calling len: len of type int>',
    ),
    (
        "T47",
        "{{ len nil }}",
        "1",
        '<error expanding template: error executing template __alert_T47: template: __alert_T47:1:115: executing "__alert_T47" at <len nil>: error calling len: reflect: call of reflect.Value.Type on zero Value>',
    ),
    ("T48", '{{- "a" -}}  b  {{- "c" }} d {{ "e" -}} \n f', "1", "abc d ef"),
    ("T49", "x {{/* comment */}} y {{- /* c2 */ -}} z", "1", "x  yz"),
    ("T50", '{{ $x := 1 }}{{ $x = "two" }}{{ $x }}', "1", "two"),
    (
        "T51",
        "{{ range $k, $v := $labels }}{{ $k }}={{ $v }},{{ end }}",
        "1",
        "instance=host1.example.com:9100,job=node,",
    ),
    ("T52", "{{ range $labels }}{{ . }},{{ else }}empty{{ end }}", "1", "host1.example.com:9100,node,"),
    ("T53", "{{ range $externalLabels }}{{ break }}{{ end }}x", "1", "x"),
    (
        "T54",
        '{{ range $i, $s := query "q" }}{{ if eq $i 0 }}{{ continue }}{{ end }}{{ $i }}{{ end }}',
        "1",
        "1",
    ),
    (
        "T55",
        "{{ range 5 }}x{{ end }}",
        "1",
        '<error expanding template: error executing template __alert_T55: template: __alert_T55:1:121: executing "__alert_T55" at <5>: range can\'t iterate over 5>',
    ),
    (
        "T56",
        '{{ range "abc" }}x{{ end }}',
        "1",
        '<error expanding template: error executing template __alert_T56: template: __alert_T56:1:121: executing "__alert_T56" at <"abc">: range can\'t iterate over abc>',
    ),
    (
        "T57",
        "{{ with $labels.instance }}[{{ . }}]{{ end }}{{ with $labels.nope }}[{{ . }}]{{ else }}none{{ end }}",
        "1",
        "[host1.example.com:9100]none",
    ),
    ("T58", '{{ define "x" }}X{{ . }}{{ end }}{{ template "x" 5 }}{{ template "x" }}', "1", "X5X<no value>"),
    (
        "T59",
        '{{ template "y" }}',
        "1",
        '<error expanding template: error executing template __alert_T59: template: __alert_T59:1:124: executing "__alert_T59" at <{{template "y"}}>: template "y" not defined>',
    ),
    ("T60", '{{ block "b" $value }}B{{ . }}{{ end }}', "3", "B3"),
    (
        "T61",
        '{{ reReplaceAll "(.*):.*" "$1" $labels.instance }}|{{ reReplaceAll "o" "0" "foo boo" }}|{{ reReplaceAll "a*" "-" "baaac" }}|{{ reReplaceAll "(?P<h>\\\\w+)\\\\." "${h}_" "a.b.c" }}|{{ reReplaceAll "(a)" "$1x$2" "a" }}',
        "1",
        "host1.example.com|f00 b00|-b-c-|a_b_c|",
    ),
    (
        "T62",
        '{{ reReplaceAll "(" "x" "y" }}',
        "1",
        '<error expanding template: error executing template __alert_T62: template: __alert_T62:1:115: executing "__alert_T62" at <reReplaceAll "(" "x" "y">: error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`>',
    ),
    (
        "T63",
        '{{ reReplaceAll "a**" "x" "y" }}',
        "1",
        '<error expanding template: error executing template __alert_T63: template: __alert_T63:1:115: executing "__alert_T63" at <reReplaceAll "a**" "x" "y">: error calling reReplaceAll: regexp: Compile(`a**`): error parsing regexp: invalid nested repetition operator: `**`>',
    ),
    ("T64", '{{ match "^host" $labels.instance }} {{ match "x" "y" }}', "1", "true false"),
    (
        "T65",
        '{{ match "[" "y" }}',
        "1",
        '<error expanding template: error executing template __alert_T65: template: __alert_T65:1:115: executing "__alert_T65" at <match "[" "y">: error calling match: error parsing regexp: missing closing ]: `[`>',
    ),
    (
        "T66",
        '{{ title "hello world-foo_bar o\'neil" }}|{{ toUpper "abc" }}|{{ toLower "ABC" }}',
        "1",
        "Hello World-Foo_bar O'Neil|ABC|abc",
    ),
    (
        "T67",
        '{{ stripPort "host:80" }} {{ stripPort "host" }} {{ stripPort "[::1]:80" }} {{ stripPort "a:b:c" }}',
        "1",
        "host host ::1 a:b:c",
    ),
    (
        "T68",
        '{{ stripDomain "foo.bar.com:80" }} {{ stripDomain "foo.bar.com" }} {{ stripDomain "10.0.0.1:80" }} {{ stripDomain "[::1]:80" }} {{ stripDomain "x" }}',
        "1",
        "foo:80 foo 10.0.0.1:80 [::1]:80 x",
    ),
    (
        "T69",
        '{{ graphLink "up == 0" }} {{ tableLink "rate(x[5m])" }}',
        "1",
        "/graph?g0.expr=up+%3D%3D+0&g0.tab=0 /graph?g0.expr=rate%28x%5B5m%5D%29&g0.tab=1",
    ),
    (
        "T70",
        '{{ safeHtml "<b>" }} {{ html "<a href=\'x\'>&" }} {{ js "a=\'b\'<" }} {{ urlquery "a b&c/d" }}',
        "1",
        "<b> &lt;a href=&#39;x&#39;&gt;&amp; a\\u003D\\'b\\'\\u003C a+b%26c%2Fd",
    ),
    (
        "T71",
        '{{ parseDuration "1h30m" }} {{ parseDuration "1500ms" }} {{ parseDuration "1d" }}',
        "1",
        "5400 1.5 86400",
    ),
    (
        "T72",
        '{{ parseDuration "x" }}',
        "1",
        '<error expanding template: error executing template __alert_T72: template: __alert_T72:1:115: executing "__alert_T72" at <parseDuration "x">: error calling parseDuration: not a valid duration string: "x">',
    ),
    (
        "T73",
        '{{ toTime 86400 }}|{{ (toTime 86400).Unix }}|{{ toTime "1.5" }}',
        "1",
        "1970-01-02 00:00:00 +0000 UTC|86400|1970-01-01 00:00:01.5 +0000 UTC",
    ),
    (
        "T74",
        '{{ args 1 "a" }}|{{ (args 1 2).arg1 }}|{{ (args 1).arg5 }}',
        "1",
        "map[arg0:1 arg1:a]|2|<no value>",
    ),
    ("T75", '{{ print 1 2 "a" 3 "b" "c" }}|{{ println "x" 1 }}|{{ print }}', "1", "1 2a3bc|x 1\n|"),
    (
        "T76",
        "{{ 1 }} {{ 1.5 }} {{ 1e3 }} {{ 0x10 }} {{ 'a' }} {{ true }} {{ \"s\" }} {{ `raw` }} {{ -2 }}",
        "1",
        "1 1.5 1000 16 97 true s raw -2",
    ),
    (
        "T77",
        "{{ nil }}",
        "1",
        '<error expanding template: error executing template __alert_T77: template: __alert_T77:1:115: executing "__alert_T77" at <nil>: nil is not a command>',
    ),
    (
        "T78",
        "{{ 1 2 }}",
        "1",
        '<error expanding template: error executing template __alert_T78: template: __alert_T78:1:115: executing "__alert_T78" at <1>: can\'t give argument to non-function 1>',
    ),
    ("T79", '{{ "x" | printf "%s-%s" "y" }}', "1", "y-x"),
    ("T80", '{{ $value | printf "%.1f" }}', "2.25", "2.2"),
    (
        "T81",
        "{{ call 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T81: template: __alert_T81:1:115: executing "__alert_T81" at <call 1>: error calling call: non-function of type int>',
    ),
    ("T82", "{{ $labels | len }}", "1", "2"),
    (
        "T83",
        "{{ (1).x }}",
        "1",
        '<error expanding template: error executing template __alert_T83: template: __alert_T83:1:116: executing "__alert_T83" at <1>: can\'t evaluate field x in type int>',
    ),
    ("T84", '{{ humanize (query "q" | first | value) }}', "1", "500m"),
    (
        "T85",
        "{{ first 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T85: template: __alert_T85:1:121: executing "__alert_T85" at <1>: can\'t handle 1 for arg of type template.queryResult>',
    ),
    (
        "T86",
        '{{ label 1 (query "q" | first) }}',
        "1",
        '<error expanding template: error executing template __alert_T86: template: __alert_T86:1:121: executing "__alert_T86" at <1>: expected string; found 1>',
    ),
    (
        "T87",
        "{{ value nil }}",
        "1",
        '<error expanding template: error executing template __alert_T87: template: __alert_T87:1:115: executing "__alert_T87" at <value nil>: error calling value: runtime error: invalid memory address or nil pointer dereference>',
    ),
    (
        "T88",
        '{{ label "x" nil }}',
        "1",
        '<error expanding template: error executing template __alert_T88: template: __alert_T88:1:115: executing "__alert_T88" at <label "x" nil>: error calling label: runtime error: invalid memory address or nil pointer dereference>',
    ),
    (
        "T89",
        "{{ title }}",
        "1",
        '<error expanding template: error executing template __alert_T89: template: __alert_T89:1:115: executing "__alert_T89" at <title>: wrong number of args for title: want 1 got 0>',
    ),
    (
        "T90",
        "{{ printf }}",
        "1",
        '<error expanding template: error executing template __alert_T90: template: __alert_T90:1:115: executing "__alert_T90" at <printf>: wrong number of args for printf: want at least 1 got 0>',
    ),
    (
        "T91",
        "{{ printf 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T91: template: __alert_T91:1:122: executing "__alert_T91" at <1>: expected string; found 1>',
    ),
    (
        "T92",
        "{{ index }}",
        "1",
        '<error expanding template: error executing template __alert_T92: template: __alert_T92:1:115: executing "__alert_T92" at <index>: wrong number of args for index: want at least 1 got 0>',
    ),
    ("T93", '{{ $labels.instance | reReplaceAll ":.*" "" }}', "1", "host1.example.com"),
    (
        "T94",
        '{{ if $labels }}t{{ end }}{{ if 0.0 }}f{{ end }}{{ if "" }}f{{ end }}{{ if (query "none") }}f{{ end }}',
        "1",
        "t",
    ),
    ("T95", "{{ with $x := 5 }}{{ $x }}{{ . }}{{ end }}", "1", "55"),
    (
        "T96",
        '{{ humanize1024 "abc" }}',
        "1",
        '<error expanding template: error executing template __alert_T96: template: __alert_T96:1:115: executing "__alert_T96" at <humanize1024 "abc">: error calling humanize1024: strconv.ParseFloat: parsing "abc": invalid syntax>',
    ),
    ("T97", '{{ humanizeDuration "90" }}', "1", "1m 30s"),
    ("T98", '{{ humanizePercentage "0.5" }}', "1", "50%"),
    (
        "T99",
        "{{ humanizeTimestamp 1e300 }}",
        "1",
        '<error expanding template: error executing template __alert_T99: template: __alert_T99:1:115: executing "__alert_T99" at <humanizeTimestamp 1e300>: error calling humanizeTimestamp: 1e+300 cannot be represented as a nanoseconds timestamp since it overflows int64>',
    ),
    (
        "T100",
        "{{ toTime nil }}",
        "1",
        '<error expanding template: error executing template __alert_T100: template: __alert_T100:1:115: executing "__alert_T100" at <toTime nil>: error calling toTime: can\'t convert <nil> to float>',
    ),
    (
        "T101",
        "{{ humanize nil }}",
        "1",
        '<error expanding template: error executing template __alert_T101: template: __alert_T101:1:115: executing "__alert_T101" at <humanize nil>: error calling humanize: can\'t convert <nil> to float>',
    ),
    (
        "T0",
        '{{ define "x" }}{{ .foo }}{{ end }}{{ template "x" 1 }}',
        "1",
        '<error expanding template: error executing template __alert_T0: template: __alert_T0:1:131: executing "x" at <.foo>: can\'t evaluate field foo in type int>',
    ),
    ("T1", "line1", "1", "line1"),
    (
        "T2",
        "{{ $value.x }}",
        "1",
        '<error expanding template: error executing template __alert_T2: template: __alert_T2:1:121: executing "__alert_T2" at <$value.x>: can\'t evaluate field x in type float64>',
    ),
    (
        "T3",
        "{{ $ }}|{{ $.Labels.job }}|{{ .Labels }}",
        "1",
        "{map[instance:host1.example.com:9100 job:node] map[cluster:c1] http://prom.example.com/prefix 1}|node|map[instance:host1.example.com:9100 job:node]",
    ),
    ("T4", "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", "1", "21"),
    ("T5", "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "1", "2"),
    ("T6", "{{ with $labels.job }}{{ $labels.instance }}{{ . }}{{ end }}", "1", "host1.example.com:9100node"),
    (
        "T7",
        '{{ if and $labels.job (eq $value 1.0) }}yes{{ end }}|{{ or $labels.nope "default" }}',
        "1",
        "yes|default",
    ),
    (
        "T8",
        '{{ printf "%s|%v|%d" $labels $externalLabels (len $labels) }}',
        "1",
        "map[instance:host1.example.com:9100 job:node]|map[cluster:c1]|2",
    ),
    ("T9", '{{ index $labels "job" | toUpper }}', "1", "NODE"),
    (
        "T10",
        "{{ humanize 1e-40 }}|{{ humanize -0.0 }}|{{ humanizePercentage 0 }}|{{ humanize1024 -1 }}|{{ humanize 1e27 }}|{{ humanize 999999 }}",
        "1",
        "1e-16y|-0|0%|-1|1000Y|1000k",
    ),
    (
        "T11",
        "{{ humanizeDuration 86400 }}|{{ humanizeDuration 0.000001 }}|{{ humanizeDuration -0.001 }}|{{ humanizeDuration 59.999 }}|{{ humanizeDuration 3600 }}",
        "1",
        "1d 0h 0m 0s|1us|-1ms|60s|1h 0m 0s",
    ),
    (
        "T12",
        "{{ humanizeTimestamp 0 }}|{{ humanizeTimestamp -62135596800 }}|{{ toTime 1.0005 }}|{{ humanizeTimestamp 1e10 }}",
        "1",
        '<error expanding template: error executing template __alert_T12: template: __alert_T12:1:141: executing "__alert_T12" at <humanizeTimestamp -62135596800>: error calling humanizeTimestamp: -6.21355968e+10 cannot be represented as a nanoseconds timestamp since it overflows int64>',
    ),
    (
        "T13",
        "{{ humanizeTimestamp 1e18 }}",
        "1",
        '<error expanding template: error executing template __alert_T13: template: __alert_T13:1:115: executing "__alert_T13" at <humanizeTimestamp 1e18>: error calling humanizeTimestamp: 1e+18 cannot be represented as a nanoseconds timestamp since it overflows int64>',
    ),
    (
        "T14",
        '{{ title "élan vital ñu" }}|{{ toUpper "straße ǆ" }}|{{ toLower "ÀÉ" }}|{{ len "日本" }}|{{ title "a.b_c d-e" }}',
        "1",
        "Élan Vital Ñu|STRAßE Ǆ|àé|6|A.B_c D-E",
    ),
    (
        "T15",
        '{{ js "日本\\u2028<>" }}|{{ html nil }}|{{ print nil }}|{{ print $labels.nope }}|{{ urlquery "é ~" }}',
        "1",
        "日本\\u2028\\u003C\\u003E|&lt;no value&gt;|<nil>||%C3%A9+~",
    ),
    (
        "T16",
        '{{ printf "%5.2f%%" (humanizePercentage 0.5) }}|{{ "a" | printf "%s%s" "b" }}',
        "1",
        "%!f(string=   50)%|ba",
    ),
    ("T17", "a", "1", "a"),
    ("T18", "  {{- 1 }}", "1", "1"),
    ("T19", " b {{ 2 -}}", "1", " b 2"),
    ("T20", "   c{{- /* c */ -}}  d", "1", "   cd"),
    (
        "T21",
        '{{ range query "q" | sortByLabel "instance" }}{{ printf "%v=%v " .Labels.instance .Value }}{{ end }}',
        "1",
        "a=0.5 b=2 ",
    ),
    ("T22", '{{ if query "none" }}t{{ else }}f{{ end }}{{ if not (query "none") }}T{{ end }}', "1", "fT"),
    (
        "T23",
        '{{ $labels.job | eq "node" }}|{{ 1 | ne 1 }}|{{ lt 1.0 1.5 }}|{{ eq nil nil }}',
        "1",
        "true|false|true|true",
    ),
    (
        "T24",
        "{{ ne 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T24: template: __alert_T24:1:115: executing "__alert_T24" at <ne>: wrong number of args for ne: want 2 got 1>',
    ),
    (
        "T25",
        "{{ lt 1 1.5 }}",
        "1",
        '<error expanding template: error executing template __alert_T25: template: __alert_T25:1:115: executing "__alert_T25" at <lt 1 1.5>: error calling lt: incompatible types for comparison>',
    ),
    (
        "T26",
        "{{ and }}",
        "1",
        '<error expanding template: error executing template __alert_T26: template: __alert_T26:1:115: executing "__alert_T26" at <and>: wrong number of args for and: want at least 1 got 0>',
    ),
    ("T27", '{{ define "e" }}{{ end }}empty:{{ template "e" }}', "1", "empty:"),
    ("T28", '{{ block "b" . }}{{ .Labels.job }}{{ end }}', "1", "node"),
    (
        "T29",
        '{{ range $i := query "q" | sortByLabel "job" }}{{ $i.Value }}{{ end }}|{{ range $e := $labels }}{{ $e }}{{ end }}',
        "1",
        "0.52|host1.example.com:9100node",
    ),
    (
        "T30",
        '{{ range $i, $s := query "q" | sortByLabel "job" }}{{ if eq $i 1 }}{{ break }}{{ end }}{{ $s.Value }}{{ end }}',
        "1",
        "0.5",
    ),
    (
        "T31",
        '{{ with $labels }}{{ .job }}{{ end }}|{{ $externalLabels.nope }}|{{ (query "q" | first).Labels.nope }}|',
        "1",
        "node|||",
    ),
    (
        "T32",
        "{{ .Labels.job.x }}",
        "1",
        '<error expanding template: error executing template __alert_T32: template: __alert_T32:1:122: executing "__alert_T32" at <.Labels.job.x>: can\'t evaluate field x in type string>',
    ),
    (
        "T33",
        '{{ (query "q").x }}',
        "1",
        '<error expanding template: error executing template __alert_T33: template: __alert_T33:1:122: executing "__alert_T33" at <"q">: can\'t evaluate field x in type template.queryResult>',
    ),
    (
        "T34",
        '{{ (query "q" | first).x }}',
        "1",
        '<error expanding template: error executing template __alert_T34: template: __alert_T34:1:128: executing "__alert_T34" at <first>: can\'t evaluate field x in type *template.sample>',
    ),
    (
        "T35",
        "{{ (toTime 0).Year }}|{{ (toTime 90061).Hour }}|{{ (toTime 1.5).UnixMilli }}",
        "1",
        "1970|1|1500",
    ),
    ("T36", '{{ (toTime 0).Format "2006-01-02T15:04:05Z07:00" }}', "1", "1970-01-01T00:00:00Z"),
    (
        "T37",
        "{{ (toTime 0).Foo }}",
        "1",
        '<error expanding template: error executing template __alert_T37: template: __alert_T37:1:123: executing "__alert_T37" at <0>: can\'t evaluate field Foo in type *time.Time>',
    ),
    (
        "T38",
        '{{ safeHtml "x" | toUpper }}',
        "1",
        '<error expanding template: error executing template __alert_T38: template: __alert_T38:1:130: executing "__alert_T38" at <toUpper>: wrong type for value; expected string; got template.HTML>',
    ),
    (
        "T39",
        "{{ 1.5e3 }}|{{ 0x1p-2 }}|{{ 1_000 }}|{{ 0o17 }}|{{ 017 }}|{{ 0b101 }}|{{ 1i }}|{{ -9223372036854775808 }}|{{ 1e0 }}|{{ 0x10 }}",
        "1",
        "1500|0.25|1000|15|15|5|(0+1i)|-9223372036854775808|1|16",
    ),
    (
        "T40",
        "{{ 9223372036854775808 }}",
        "1",
        '<error expanding template: error executing template __alert_T40: template: __alert_T40:1:115: executing "__alert_T40" at <9223372036854775808>: 9223372036854775808 overflows int>',
    ),
    ("T41", '{{ printf "%v %.1f" 1i 2i }}', "1", "(0+1i) (0.0+2.0i)"),
    (
        "T42",
        '{{ humanize "0x10" }}|{{ humanize "1_000" }}|{{ humanize " 1" }}|{{ humanize "Inf" }}|{{ humanize "-infinity" }}|{{ humanize "nan" }}',
        "1",
        '<error expanding template: error executing template __alert_T42: template: __alert_T42:1:115: executing "__alert_T42" at <humanize "0x10">: error calling humanize: strconv.ParseFloat: parsing "0x10": invalid syntax>',
    ),
    (
        "T43",
        '{{ humanize "1e400" }}',
        "1",
        '<error expanding template: error executing template __alert_T43: template: __alert_T43:1:115: executing "__alert_T43" at <humanize "1e400">: error calling humanize: strconv.ParseFloat: parsing "1e400": value out of range>',
    ),
    (
        "T44",
        '{{ reReplaceAll "(?i)HOST" "h" $labels.instance }}|{{ reReplaceAll "" "-" "abc" }}|{{ reReplaceAll "b*" "X" "abc" }}|{{ reReplaceAll "(\\\\w+)" "$1$$" "ab cd" }}|{{ reReplaceAll "(?P<x>a)" "[${x}][$x1]" "a" }}',
        "1",
        "h1.example.com:9100|-a-b-c-|XaXcX|ab$ cd$|[a][]",
    ),
    (
        "T45",
        '{{ reReplaceAll "(?<x>a)" "" "a" }}',
        "1",
        '<error expanding template: error executing template __alert_T45: template: __alert_T45:1:115: executing "__alert_T45" at <reReplaceAll "(?<x>a)" "" "a">: error calling reReplaceAll: regexp: Compile(`(?<x>a)`): error parsing regexp: invalid or unsupported Perl syntax: `(?<`>',
    ),
    ("T46", '{{ match "(?i)^HOST" $labels.instance }}|{{ match "" "" }}', "1", "true|true"),
    (
        "T47",
        '{{ stripDomain "localhost" }}|{{ stripDomain "a.b:c:d" }}|{{ stripPort "[::1]" }}|{{ stripDomain "[fe80::1%eth0]:80" }}|{{ stripDomain "1.2.3.4.5:80" }}',
        "1",
        "localhost|a|[::1]|[fe80::1%eth0]:80|1:80",
    ),
    (
        "T48",
        '{{ sortByLabel "x" nil }}|{{ first nil }}',
        "1",
        '<error expanding template: error executing template __alert_T48: template: __alert_T48:1:141: executing "__alert_T48" at <first nil>: error calling first: first() called on vector with no elements>',
    ),
    ("T49", '{{ args }}|{{ len (args 1 2) }}|{{ index (args "a") "arg0" }}', "1", "map[]|2|a"),
    ("T50", '{{ printf "%s" (args 1) }}', "1", "map[arg0:%!s(int=1)]"),
    (
        "T51",
        '{{ printf "%v" nil }}|{{ printf "%d" nil }}|{{ printf "%s" true }}|{{ printf "%x" -255 }}|{{ printf "%08.3e" -1.5 }}|{{ printf "%-8d|" -5 }}|{{ printf "%+q" "é" }}|{{ printf "%#q" "a`b" }}|{{ printf "%#o %#x %#X %#b" 8 255 255 5 }}',
        "1",
        '<nil>|%!d(<nil>)|%!s(bool=true)|-ff|-1.500e+00|-5      ||"\\u00e9"|"a`b"|010 0xff 0XFF 0b101',
    ),
    (
        "T52",
        '{{ printf "%.*f" 2 3.14159 }}|{{ printf "%-*d|" 4 7 }}|{{ printf "%[3]d %d" 1 2 3 }}|{{ printf "%[5]d" 1 }}|{{ printf "%.2[1]f" 1.0 }}',
        "1",
        "3.14|7   ||3 %!d(MISSING)|%!d(BADINDEX)|1.00",
    ),
    (
        "T53",
        '{{ printf "%v %s" (toTime 0) (toTime 0) }}|{{ print (toTime 0) }}',
        "1",
        "1970-01-01 00:00:00 +0000 UTC 1970-01-01 00:00:00 +0000 UTC|1970-01-01 00:00:00 +0000 UTC",
    ),
    (
        "T54",
        "{{ len (toTime 0) }}",
        "1",
        '<error expanding template: error executing template __alert_T54: template: __alert_T54:1:115: executing "__alert_T54" at <len (toTime 0)>: error calling len: len of type time.Time>',
    ),
    ("T55", '{{ 1 | printf "%v" 2 | printf "%v-%v" 3 }}', "1", "3-2%!(EXTRA int=1)"),
    (
        "T56",
        '{{ .ExternalURL | printf "%q" }}|{{ $externalURL | len }}',
        "1",
        '"http://prom.example.com/prefix"|30',
    ),
    (
        "T0",
        '{{ (toTime 1700000123.456).Format "2006-01-02 15:04:05.000 MST" }}|{{ (toTime 1700000123.456).Format "Mon Jan _2 3:4:5 PM 06 -07:00 Z0700 .999 ,000 002 __2" }}',
        "1",
        "2023-11-14 22:15:23.456 UTC|Tue Nov 14 10:15:23 PM 23 +00:00 Z .456 ,456 318 318",
    ),
    (
        "T1",
        '{{ (toTime 1700000123).Format "Monday, January 2, 2006 at 03:04pm (Z07:00) .999|.0|_2006" }}',
        "1",
        "Tuesday, November 14, 2023 at 10:15pm (Z) |.0|_2023",
    ),
    (
        "T2",
        '{{ (toTime 1700000123.4).Format "15h04m05.9s" }}|{{ (toTime 0).Format "" }}|{{ (toTime 0).Format }}',
        "1",
        '<error expanding template: error executing template __alert_T2: template: __alert_T2:1:199: executing "__alert_T2" at <0>: wrong number of args for Format: want 1 got 0>',
    ),
    (
        "T3",
        "{{ (toTime 0).Format 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T3: template: __alert_T3:1:133: executing "__alert_T3" at <1>: expected string; found 1>',
    ),
    (
        "T4",
        "{{ (toTime 0).Unix 1 }}",
        "1",
        '<error expanding template: error executing template __alert_T4: template: __alert_T4:1:123: executing "__alert_T4" at <0>: wrong number of args for Unix: want 0 got 1>',
    ),
    ("T5", "{{ (toTime 1e9).Weekday }}", "1", "Sunday"),
    (
        "T6",
        '{{ printf "%d" $labels }}|{{ printf "%q" $labels }}|{{ printf "%5v|" $labels }}|{{ printf "%s" . }}',
        "1",
        'map[%!d(string=instance):%!d(string=host1.example.com:9100) %!d(string=job):%!d(string=node)]|map["instance":"host1.example.com:9100" "job":"node"]|map[instance:host1.example.com:9100   job: node]||{map[instance:host1.example.com:9100 job:node] map[cluster:c1] http://prom.example.com/prefix %!s(float64=1)}',
    ),
    (
        "T7",
        '{{ print (query "q" | sortByLabel "instance" | first) }}|{{ printf "%s" (toTime 0) }}|{{ (toTime 0).Month }}',
        "1",
        "&{map[__name__:q instance:a job:x] 0.5}|1970-01-01 00:00:00 +0000 UTC|January",
    ),
    (
        "T8",
        '{{ printf "%d" (query "q" | sortByLabel "instance" | first) }}',
        "1",
        "&{map[%!d(string=__name__):%!d(string=q) %!d(string=instance):%!d(string=a) %!d(string=job):%!d(string=x)] %!d(float64=0.5)}",
    ),
]


@pytest.mark.parametrize(
    ("alert", "template", "value", "expected"),
    TEMPLATES,
    ids=[template if value == "1" else f"{template} @ {value}" for _, template, value, _ in TEMPLATES],
)
def test_expansion_matches_promtool(alert: str, template: str, value: str, expected: str) -> None:
    assert expand_value(template, data(value), name=f"__alert_{alert}", query=query) == expected


def test_expand_raises_what_prometheus_reports() -> None:
    with pytest.raises(TemplateError) as raised:
        expand("{{ $value.foo }}", data("1"), name="__alert_X")
    assert raised.value.message == (
        'error executing template __alert_X: template: __alert_X:1:121: executing "__alert_X" '
        "at <$value.foo>: can't evaluate field foo in type float64"
    )


# (template, the error promtool reports when loading the rule, or None when it loads)
PARSE_ERRORS = [
    ("{{ foo }}", 'template: __alert_T:1: function "foo" not defined'),
    ("{{ $label.x }}", 'template: __alert_T:1: undefined variable "$label"'),
    ("{{ if }}", "template: __alert_T:1: missing value for if"),
    ("{{ .x", "template: __alert_T:1: unclosed action"),
    ("{{ end }}", "template: __alert_T:1: unexpected {{end}}"),
    ("{{ if 1 }}", "template: __alert_T:1: unexpected EOF"),
    ("{{ 1 | 2 }}", "template: __alert_T:1: non executable command in pipeline stage 2"),
    ('{{ "\\q" }}', "template: __alert_T:1: invalid syntax"),
    ("x {{ humanize $value", "template: __alert_T:1: unclosed action"),
    ("{{ $x := 1 }}{{ $y }}", 'template: __alert_T:1: undefined variable "$y"'),
    ("{{ else }}", "template: __alert_T:1: unexpected {{else}}"),
    ("{{ if 1 }}{{ else }}{{ else }}{{ end }}", "template: __alert_T:1: expected end; found {{else}}"),
    ("{{ range $i, $j, $k := . }}{{ end }}", "template: __alert_T:1: too many declarations in range"),
    ("{{ with $x, $y := . }}{{ end }}", "template: __alert_T:1: too many declarations in with"),
    ("{{ break }}", "template: __alert_T:1: {{break}} outside {{range}}"),
    ("{{ range . }}{{ break 1 }}{{ end }}", 'template: __alert_T:1: unexpected "1" in {{break}}'),
    ("{{ /* x */ }}", 'template: __alert_T:1: unexpected "/" in command'),
    ("{{/* x ", "template: __alert_T:1: unclosed comment"),
    ("{{/* x */ y }}", "template: __alert_T:1: comment ends before closing delimiter"),
    ("{{ 'ab' }}", "template: __alert_T:1: malformed character constant: 'ab'"),
    ("{{ 1.2.3 }}", 'template: __alert_T:1: unexpected ".3" in operand'),
    ("{{ 0x }}", 'template: __alert_T:1: illegal number syntax: "0x"'),
    ("{{ 3k }}", 'template: __alert_T:1: bad number syntax: "3k"'),
    ("{{ $x = 1 }}", None),
    ("{{ $labels := }}", "template: __alert_T:1: missing value for command"),
    ("{{ ( }}", "template: __alert_T:1: unclosed left paren"),
    ("{{ ) }}", 'template: __alert_T:1: unexpected ")" in command'),
    ("{{ (1 }}", "template: __alert_T:1: unclosed left paren"),
    ("{{ .a.b.c | }}", None),
    ("{{ | foo }}", 'template: __alert_T:1: unexpected "|" in command'),
    ("{{ template }}", 'template: __alert_T:1: unexpected "}}" in template clause'),
    ("{{ template x }}", 'template: __alert_T:1: unexpected "x" in template clause'),
    ('{{ define "a" }}{{ end }}', None),
    (
        '{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}',
        'template: __alert_T:1: template: multiple definition of template "a"',
    ),
    ('{{ "abc".x }}', 'template: __alert_T:1: unexpected . after term "\\"abc\\""'),
    ("{{ $labels.foo.bar }}{{ $values }}", 'template: __alert_T:1: undefined variable "$values"'),
    ("line1\nline2 {{ nosuch }}", 'template: __alert_T:2: function "nosuch" not defined'),
    ("{{ if true }}\n{{ nosuch }}\n{{ end }}", 'template: __alert_T:2: function "nosuch" not defined'),
    ('{{ printf "%s"\n $foo }}', 'template: __alert_T:2: undefined variable "$foo"'),
    (
        "{{ $x := 1 }}{{ if true }}{{ $y := 2 }}{{ end }}{{ $y }}",
        'template: __alert_T:1: undefined variable "$y"',
    ),
    ("{{ `unterminated }}", "template: __alert_T:1: unterminated raw quoted string"),
    ('{{ "unterminated }}', "template: __alert_T:1: unterminated quoted string"),
    ("{{ . | 1 }}", "template: __alert_T:1: non executable command in pipeline stage 2"),
    ("{{ humanize $value | }}", None),
    ("{{ $ }}", None),
    ("{{ $.Labels.x }}", None),
    ("{{ @ }}", 'template: __alert_T:1: unexpected "@" in command'),
    ("{{ a-b }}", "template: __alert_T:1: bad character U+002D '-'"),
    ("{{ .foo-bar }}", "template: __alert_T:1: bad character U+002D '-'"),
    ("{{ $labels.foo-bar }}", "template: __alert_T:1: bad character U+002D '-'"),
    ("{{ ._ }}", None),
    ("{{ nil.x }}", 'template: __alert_T:1: unexpected . after term "nil"'),
    (
        "{{ if $x := 1 }}{{ $x }}{{ else }}{{ $x }}{{ end }}{{ $x }}",
        'template: __alert_T:1: undefined variable "$x"',
    ),
    ("{{ range $i := . }}{{ end }}{{ $i }}", 'template: __alert_T:1: undefined variable "$i"'),
    ("{{ else if }}", "template: __alert_T:1: unexpected {{else}}"),
    ("{{ if 1 }}{{ else if }}{{ end }}", "template: __alert_T:1: missing value for if"),
    ("{{ with 1 }}{{ else if 2 }}{{ end }}", "template: __alert_T:1: unexpected <if> in input"),
    ("{{ block }}", 'template: __alert_T:1: unexpected "}}" in block clause'),
    ('{{ block "x" }}{{ end }}', "template: __alert_T:1: missing value for block clause"),
    ("{{ continue }}", "template: __alert_T:1: {{continue}} outside {{range}}"),
    (
        '{{ range . }}{{ define "x" }}{{ end }}{{ end }}',
        "template: __alert_T:1: unexpected <define> in command",
    ),
    ("{{ 1e400 }}", 'template: __alert_T:1: illegal number syntax: "1e400"'),
    ("{{ - 1 }}", 'template: __alert_T:1: illegal number syntax: "-"'),
    ("{{ -1 }}", None),
    ("{{ 1 -}}", None),
    ("{{- }}", "template: __alert_T:1: missing value for command"),
]


@pytest.mark.parametrize(("template", "expected"), PARSE_ERRORS, ids=[row[0] for row in PARSE_ERRORS])
def test_parse_errors_match_promtool(template: str, expected: str | None) -> None:
    error = check_syntax(template, name="__alert_T")
    assert (error.message if error else None) == expected


@pytest.mark.parametrize(
    ("template", "offset"),
    [
        ("{{ foo }}", 3),
        ("{{ $label.x }}", 3),
        ("line1\nline2 {{ nosuch }}", 15),
        ('{{ printf "%s"\n $foo }}', 16),
        ("a {{ if 1 }}b", 2),
        ("x {{ range . }}{{ end }}{{ with 1 }}", 24),
        ("see {{ .Labels.x", 4),
        ("{{ 1 | 2 }}", 7),
        ('{{ "\\q" }}', 3),
        ("{{ end }}", 0),
    ],
    ids=repr,
)
def test_parse_error_offset_points_at_the_culprit(template: str, offset: int) -> None:
    error = check_syntax(template)
    assert error is not None and error.offset == offset


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ humanize }}", [("wrong number of args for humanize: want 1 got 0", 3)]),
        ("{{ $value | humanize 2 }}", [("wrong number of args for humanize: want 1 got 2", 12)]),
        ("{{ printf }}", [("wrong number of args for printf: want at least 1 got 0", 3)]),
        ("{{ humanize (first) }}", [("wrong number of args for first: want 1 got 0", 13)]),
        ("{{ if eq }}x{{ end }}", [("wrong number of args for eq: want at least 1 got 0", 6)]),
        ('{{ query "q" | first | label "a" }}', []),
        ('{{ $value | printf "%.2f" }}', []),
        ("{{ externalURL }}{{ pathPrefix }}", []),
        ("{{ nosuch }}", [('template: __alert:1: function "nosuch" not defined', 3)]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_static_errors(template: str, expected: list[tuple[str, int]]) -> None:
    assert [(error.message, error.offset) for error in static_errors(template)] == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ printf "%99999999d|" 1 }}', "%!(NOVERB)%!(EXTRA int=1)"),
        ("{{" + "(" * 99 + "1" + ")" * 99 + "}}", "1"),
        (
            "{{" + "(" * 101 + "1" + ")" * 101 + "}}",
            "<error expanding template: error parsing template __alert: template: __alert:1: "
            "more than 100 nested actions or parentheses (mmlint's limit)>",
        ),
        (
            '{{ define "a" }}x{{ template "a" }}{{ end }}{{ template "a" }}',
            "<error expanding template: error executing template __alert: template: __alert:1:141: "
            'executing "a" at <{{template "a"}}>: exceeded maximum template depth (100000)>',
        ),
        (
            '{{ define "a" }}'
            + "{{ if true }}" * 95
            + '{{ template "a" }}'
            + "{{ end }}" * 95
            + '{{ end }}{{ template "a" }}',
            "<error expanding template: error executing template __alert: templates nested too deeply for mmlint to run>",
        ),
    ],
    ids=["huge-width", "deep-parentheses", "too-deep-parentheses", "template-recursion", "deep-recursion"],
)
def test_limits_end_in_an_error_not_a_crash(template: str, expected: str) -> None:
    assert expand_value(template, data("1")) == expected
