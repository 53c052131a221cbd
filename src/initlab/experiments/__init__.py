"""The course's experiments: each function runs one chapter's experiment and returns a Table or arrays.

Chapters call them as il.experiments.<name>; each module holds one chapter's experiments.
"""
from .chains import *  # noqa: F401,F403  (Chapters 2-4)
from .zero_init import *  # noqa: F401,F403  (Chapter 1)
from .sweeps import *  # noqa: F401,F403  (Chapter 3)
from .growth import *  # noqa: F401,F403  (Chapter 4)
from .techniques import *  # noqa: F401,F403  (Chapter 5)
from .frameworks import *  # noqa: F401,F403  (Chapter 6)
from .assignment import *  # noqa: F401,F403  (Chapter 7)
from .published import *  # noqa: F401,F403  (Chapter 7)
from .isometry import *  # noqa: F401,F403  (Chapter 8)
from .criticality import *  # noqa: F401,F403  (Chapter 8)
from .modern import *  # noqa: F401,F403  (Chapter 9)
from .residual_stacks import *  # noqa: F401,F403  (Chapter 9)
