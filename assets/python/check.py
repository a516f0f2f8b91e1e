# lockstep's check of a program before any process starts: the
# interpreter's version, then whether the program compiles.
import sys

print("version", sys.version_info[0], sys.version_info[1], sys.version_info[2])
try:
    with open(sys.argv[1], "rb") as f:
        source = f.read()
    compile(source, sys.argv[1], "exec")
    print("ok")
except SyntaxError as e:
    print("syntax", e.lineno or 0, e.offset or 0, e.msg)
except (OSError, ValueError) as e:
    print("unreadable", 0, 0, e)
