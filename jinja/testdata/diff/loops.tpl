{# loops over provd-shaped data: sip_lines keyed "1".."12", funckeys #}
{% for line_no, line in sip_lines.items() -%}
account.{{ line_no }}.enable = {{ 1 if line else 0 }}
{% if line -%}
account.{{ line_no }}.label = {{ line['display_name'] }}
account.{{ line_no }}.index = {{ line_no|int - 1 }}
account.{{ line_no }}.port = {{ line['proxy_port']|d(5060) }}
account.{{ line_no }}.backup = {{ line.backup_proxy_ip|d('%NULL%') }}
{% endif -%}
{% endfor %}
sorted keys: {{ sip_lines|sort|join(',') }}
dictsort:
{% for k, v in sip_lines|dictsort -%}
  {{ loop.index }}/{{ loop.length }} {{ k }} first={{ loop.first }} last={{ loop.last }} prev={{ loop.previtem[0] if loop.previtem is defined }}
{% endfor %}
items sorted: {% for k, v in sip_lines.items()|sort %}{{ k }}{% if not loop.last %}-{% endif %}{% endfor %}

{% for line_no, line in sip_lines.items() if line %}{{ line_no }}:{{ loop.index0 }}:{{ loop.revindex }} {% else %}no lines{% endfor %}

{% for x in empty %}never{% else %}empty else{% endfor %}

{% for x in missing_var %}never{% else %}undefined iterates as empty{% endfor %}

{% for fk_no, fk in funckeys.items()|sort %}
key {{ fk_no }} {{ fk.type }} {{ fk['value'] }} {{ fk.label|d(fk['value']) }} line={{ fk.line|d(1) }}
{%- endfor %}

{% for i in range(3) %}{% for j in 'ab' %}[{{ i }}{{ j }} outer-prev={{ loop.previtem }} next={{ loop.nextitem }}]{% endfor %}{% endfor %}

{% for a, b in [(1, 'x'), (2, 'y')] %}{{ a }}={{ b }};{% endfor %}
{% for v in values %}{{ v }}|{% endfor %}
{% for k in sip_lines.keys() %}{{ k }}{% endfor %} {% for v in funckeys.values() %}{{ v.value }}{% endfor %}
{% for c in 'Dupré' %}<{{ c }}>{% endfor %}
{% for i in range(10, 0, -3) %}{{ i }}{{ loop.cycle('a', 'b', 'c') }}{% endfor %}
{% for i in [1, 1, 2, 3, 3] %}{% if loop.changed(i) %}{{ i }}{% endif %}{% endfor %}
