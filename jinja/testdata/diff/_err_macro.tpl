line 1
{% macro boom(x) -%}
  ok {{ x }}
  {{ x.missing.deeper }}
{%- endmacro %}
{% macro fine() %}fine{% endmacro %}
