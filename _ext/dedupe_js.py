"""Drop repeated script tags from each page.

Jupyter Book 1 always loads sphinx-thebe, whose inline `const THEBE_JS_URL = ...` script Sphinx >= 7.2
emits twice; the second copy is a JavaScript error ("already been declared") on every page.
"""


def _dedupe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        # the two copies differ only in priority and in filename None vs "": both left out
        key = (getattr(js, "filename", js) or "", tuple(sorted(getattr(js, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", _dedupe, priority=1)  # first: a later handler may return a template and end the event
    return {"parallel_read_safe": True, "parallel_write_safe": True}
