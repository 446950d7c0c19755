#!/usr/bin/env python3
"""Run Odoo's own tests after the whole registry is loaded.

    python3 setup/odoo_after_load.py <odoo server options> --test-tags TAGS

Odoo runs the ``at_install`` tests of a module while that module is being
loaded, before the modules that depend on it: the tests of ``sale`` never see
an addon that extends ``sale``. This wrapper starts Odoo's own server command
unchanged but selects the tests differently: nothing runs while modules load,
and once the registry is complete every test selected by ``--test-tags`` runs,
whatever its position (``at_install`` or ``post_install``). Used by the
``core`` suite of ``setup/test`` on a database where the addons are installed
(and, to establish the baseline, on one where they are not).
"""

import sys

from odoo.tests import loader
from odoo.tests.suite import OdooSuite
from odoo.tests.tag_selector import TagsSelector
from odoo.tools import config


def make_suite(module_names, position="at_install"):
    """Odoo's ``make_suite``, with every test moved after the registry load.

    Only the modules the test tags name are searched for tests (when every
    included tag names one): importing the tests of every installed module is
    slow, and one that cannot be imported would stop the run.
    """
    if position == "at_install":
        return OdooSuite([])
    selector = TagsSelector(config["test_tags"])
    named = {spec[1] for spec in selector.include}
    if named and None not in named:
        module_names = [name for name in module_names if name in named]
    tests = (
        test
        for module_name in module_names
        for mod in loader.get_test_modules(module_name)
        for test in loader.get_module_test_cases(mod)
        if selector.check(test)
    )
    return OdooSuite(sorted(tests, key=lambda t: t.test_sequence))


loader.make_suite = make_suite

if __name__ == "__main__":
    import odoo.cli

    sys.argv[0] = "odoo"
    odoo.cli.main()
