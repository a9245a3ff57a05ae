"""Pages are written without the theme's indentation; what white space means is kept."""

from generator.site.compact import compact
from tests.html_text import parse


def test_indentation_and_blank_lines_go_but_preformatted_text_stays():
    page = (
        "<html>\n  <body>\n\n    <p>a\n      b</p>\n"
        "    <pre><code>  x\n\n    y</code></pre>\n"
        '    <script>\n  var s = "a\\n    b";\n    </script>\n'
        "    <textarea>\n  t\n</textarea>\n  </body>\n</html>\n"
    )
    assert compact(page) == (
        "<html>\n<body>\n<p>a\nb</p>\n"
        "<pre><code>  x\n\n    y</code></pre>\n"
        '<script>\n  var s = "a\\n    b";\n    </script>\n'
        "<textarea>\n  t\n</textarea>\n</body>\n</html>\n"
    )


def test_a_built_page_reads_the_same_compacted(seed_build):
    project, _ = seed_build
    path = next((project.site_dir / "papers").glob("ecoformer-*/index.html"))
    html = path.read_text()
    assert compact(html) == html  # the build already wrote it compacted
    assert "\n  " not in html.split("<pre", 1)[0]
    assert parse(html).h1 == ["EcoFormer: Energy-Saving Attention with Linear Complexity"]
