a  {%- if true %}  b  {% endif -%}   c
{{- '  d  ' -}}
  e  {{ 'f' -}}

  g
{#- comment stripping both sides -#}
   h {# plain comment #} i
{% raw %}{{ not evaluated }} {% if %}{% endraw %}
{%- raw -%}   raw stripped   {%- endraw -%}
j
{%+ if true %}plus{% endif +%}
k
{% for i in range(3) -%}
  item {{ i }}
{%- endfor %}
l
{%- set x = 1 -%}
   m {{ x }}
{% if false %}
hidden
{%- elif true -%}
   shown
{%- endif %}
n	tab	{{- '	' -}}	o
