crlf line one
{% if true -%}
  inside {{ value }}
{%- endif %}
cr onlyline {{ "a
b" }}
{# comment
 #}end
