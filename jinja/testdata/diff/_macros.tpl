{% macro setting(id, value, default='') -%}
<setting id="{{ id }}" value="{{ value|d(default, true) }}" />
{%- endmacro %}
{% macro funckey(no, fk) -%}
{% if fk.type == 'blf' %}blf:{{ fk.value }}@{{ proxy }}{% else %}{{ fk.type }}:{{ fk.value }}{% endif %}
{%- endmacro %}
{% set exported = 'exported value' %}
