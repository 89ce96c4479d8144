{% set x = 'outer' -%}
{% for i in range(2) %}{% set x = 'inner' ~ i %}[{{ x }}]{% endfor %} after loop: {{ x }}
{% if true %}{% set y = 'set in if' %}{% endif %}y={{ y }}
{% if false %}{% set z = 'never' %}{% endif %}z={{ z }}
{% for i in [1, 2] %}before={{ counter }}{% set counter = i %} after={{ counter }};{% endfor %} counter={{ counter }}
{% set ns = namespace(total=0) %}{% for i in range(5) %}{% set ns.total = ns.total + i %}{% endfor %}total={{ ns.total }}
{% macro show() %}macro sees {{ x }} and {{ late|d('no late') }}{% endmacro %}{{ show() }}
{% set late = 'late' %}{{ show() }}
{% with a = 1, b = x %}with {{ a }} {{ b }}{% endwith %} a after with=[{{ a }}]
{% set block_var %}captured {{ x }}{% endset %}{{ block_var }}
{% set a, b = 'A', 'B' %}{{ a }}{{ b }}
{% for i in [1] %}{% set shadow = 'loop' %}{% for j in [2] %}{{ shadow }}{% set shadow = 'inner' %}{{ shadow }}{% endfor %}{{ shadow }}{% endfor %}[{{ shadow }}]
{{ ctxvar }}{% set ctxvar = 'reassigned' %}{{ ctxvar }}
