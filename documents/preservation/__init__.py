"""Handing the whole archive over, and taking it back (docs/preservation.md).

``layout`` names the files of a bag's ``data/`` and reads and writes their lines; ``export`` writes
every record of every area as a BagIt bag; ``restore`` validates such a bag and restores it into an
empty database in one transaction. Operator commands only: they read past ``visible_to`` on
purpose, so a bag holds private and group notes and is as sensitive as the database itself.
"""
