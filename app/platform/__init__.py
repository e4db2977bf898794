"""What differs between operating systems, each behind one small interface (issue 14).

Windows-only code lives here and nowhere else, written against a module that is
passed in, so its tests run on Linux with a stand-in (tests/unit/test_platform.py).
"""
