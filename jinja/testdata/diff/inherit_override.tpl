{% extends 'inherit.tpl' %}
{% block lines %}overridden lines: {{ super()|trim|length > 0 }}{% endblock %}
{% block model %}{{ super() }}-override{% endblock %}
