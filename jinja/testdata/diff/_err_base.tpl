{% block body %}
base body
{% endblock %}
{{ undefined_in_base + 1 }}
