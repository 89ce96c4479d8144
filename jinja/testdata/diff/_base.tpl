<?xml version="1.0" ?>
{%- set base_var = 'from base' %}
<config model="{% block model %}generic{% endblock %}">
    {% block header -%}
    <header>{{ title|d('untitled') }}</header>
    {%- endblock %}
    {% include '_include.tpl' %}
    {% block lines %}
    {%- for n, l in lines.items() %}
    <line n="{{ n }}">{{ l.name|e }}</line>
    {%- endfor %}
    {% endblock lines %}
    <child_var>{{ child_var|d('unset') }}</child_var>
    {% block footer %}base footer{% endblock %}
</config>
