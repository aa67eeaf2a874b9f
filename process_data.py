"""EMR step entry point: ``spark-submit process_data.py INPUT [OUTPUT] [options]``.

The job itself lives in ``barrow.jobs.process_data`` (installed on every node
with the barrow wheel); run with ``--help`` for the options.
"""

import sys

from barrow.jobs.process_data import main

if __name__ == "__main__":
    sys.exit(main())
