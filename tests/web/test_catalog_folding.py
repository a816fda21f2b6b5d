"""On a phone the catalog's filters fold behind a button (Bootstrap's collapse, open from the
large breakpoint up), so that the results come first."""


def test_the_filters_fold_on_a_phone(client, make):
    make.instrument()
    page = client.get("/instruments").get_data(as_text=True)
    toggle = page.index('data-bs-target="#catalog-filters"')
    folded = page.index('<div class="collapse d-lg-block mt-2 mt-lg-0" id="catalog-filters">')
    assert toggle < folded < page.index('role="search"', folded)
    assert 'class="btn btn-outline-primary btn-sm w-100 d-lg-none catalog-filters-toggle"' in page
