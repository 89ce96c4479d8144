{% extends '_base.tpl' %}
{% import '_macros.tpl' as m %}
{% from '_macros.tpl' import funckey, exported %}
{% set child_var = 'child top-level' %}
this text outside blocks is not rendered
{% block model %}D70{% endblock %}
{% block header %}{{ super() }}
    <sub>{{ m.setting('locale', locale) }}</sub>
    <sub>{{ m.setting('tz', timezone, 'UTC') }}</sub>
    <sub>{{ exported }}</sub>
{%- endblock %}
{% block footer -%}
{% for no, fk in fks.items() %}
    {{ funckey(no, fk) }}
    {%- include '_include.tpl' %}
{%- endfor %}
    {{ self.model() }}/{{ super() }}
{%- endblock %}
