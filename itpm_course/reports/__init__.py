"""Documents for people (status reports) assembled from engine results and charts.

This layer sits above ``engine`` and ``charts``: the engine computes, charts draw, and a
report puts both into Markdown or HTML.
"""
