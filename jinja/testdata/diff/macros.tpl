{% macro line(no, label='none', port=5060) -%}
L{{ no }}:{{ label }}:{{ port }}
{%- endmacro -%}
{{ line(1) }} {{ line(2, 'two') }} {{ line(3, port=5070) }} {{ line(no=4, label='four') }}
{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro -%}
{% call wrap('b') %}bold {{ line(5) }}{% endcall %}
{% macro each(items) %}{% for it in items %}{{ caller(it, loop.index) }}{% endfor %}{% endmacro -%}
{% call(item, n) each(['x', 'y']) %}[{{ n }}={{ item }}]{% endcall %}
{% macro countdown(n) %}{{ n }}{% if n > 0 %},{{ countdown(n - 1) }}{% endif %}{% endmacro -%}
{{ countdown(5) }}
{% macro extra() %}{{ varargs }} {{ kwargs }}{% endmacro -%}
{{ extra(1, 'a', k='v') }}
{% macro missing_arg(a, b) %}a={{ a }} b=[{{ b }}] {{ b is defined }}{% endmacro -%}
{{ missing_arg(1) }}
{% filter upper %}filtered {{ 'text' }}{% endfilter %}
