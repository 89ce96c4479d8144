none=[{{ n }}] true=[{{ t }}] false=[{{ f }}] int=[{{ i }}] float=[{{ fl }}] whole=[{{ whole }}] big=[{{ big }}] tiny=[{{ tiny }}]
list=[{{ l }}] tuple=[{{ (1, 'a') }}] single=[{{ (1,) }}] dict=[{{ d }}] nested=[{{ nested }}]
str in list=[{{ ["it's", 'say "hi"', 'both \' "', 'tab\there', 'nl\n', 'é', '\u2028'] }}]
missing=[{{ missing }}] missing key=[{{ d.nokey }}] missing item=[{{ d['nokey'] }}] attr of none=[{{ n.x }}]
attr vs item: {{ d.items }} {{ d['items'] }} {{ d.get('items') }} {{ d.get('nokey', 'fallback') }}
is: {{ n is none }} {{ missing is defined }} {{ missing is not defined }} {{ d.a is defined }} {{ d.nokey is defined }} {{ i is number }} {{ l is sequence }} {{ d is mapping }} {{ 'a' is string }}
index: {{ l[0] }} {{ l[-1] }} {{ l.1 }} {{ 'word'[1:3] }} {{ l[1:] }} {{ l[::-1] }} {{ l[10] }}
literals: {{ [1, 2.5, none, true, 'x'] }} {{ {'k': 'v', 1: 2} }} {{ 0x10 }} {{ 1_000_000 }} {{ 1e3 }} {{ .5 if false else 0.5 }}
math: {{ 0.1 + 0.2 }} {{ 1 / 3 }} {{ 2 / 3 * 3 }} {{ 1e16 }} {{ 123456789.123456789 }} {{ -1.5e-7 }} {{ 10 ** 16 / 1 }}
inline if: [{{ 'yes' if t }}] [{{ 'yes' if f }}] [{{ 'yes' if f else 'no' }}]
