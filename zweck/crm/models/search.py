"""The search index of persons: which words each person is found by, and the workspace's dictionary.

Both tables are derived from ``Person.search_text`` (``search_text.posting_words``) and
rewritten by ``person_refresh_search_text`` whenever the document changes; nothing else
writes them but the bulk generator, which writes the same rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zweck.core.scoping import WorkspaceManager
from zweck.crm.models.persons import Person


class SearchPosting(models.Model):
    """One word a person is found by: a name, an email address or part of it, phone digits.

    Exact and prefix matches are index range scans on ``(workspace, word)``; within one
    word the index is in name order (``sort_key``, then person), so the first page of the
    persons holding a word is the start of that range. The row
    belongs to the person (``subject="person"`` in the register), so erasing the person
    erases it.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # every index of the table leads with it
        verbose_name=_("workspace"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="search_postings",
        db_index=False,  # the unique constraint leads with it
        verbose_name=_("person"),
    )
    word = models.CharField(_("word"), max_length=254)
    # Last name, first name and separator (search_text.sort_key); "C" collation on
    # PostgreSQL (migration 0004), so the index order is the order of code points.
    sort_key = models.CharField(_("sort key"), max_length=201, default="")

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("search word of a person")
        verbose_name_plural = _("search words of persons")
        indexes = [
            # The pattern operator class lets PostgreSQL answer "word LIKE 'abc%'" from the
            # index whatever the database's collation; other databases ignore it.
            models.Index(
                fields=["workspace", "word", "sort_key", "person"],
                name="searchposting_word_sorted",
                opclasses=["int8_ops", "varchar_pattern_ops", "varchar_ops", "int8_ops"],
            ),
        ]
        constraints = [
            # Also the index that finds a person's postings: when they are rewritten, when the
            # person is erased or deleted (Django's cascade and the foreign key's check ask by
            # person alone; led by the workspace, every such delete scanned all postings).
            models.UniqueConstraint(fields=["person", "word"], name="searchposting_unique_word"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.word}"


class SearchWord(models.Model):
    """A key of the workspace's word dictionary, which finds the words near a mistyped one.

    For every distinct word of the workspace's postings made of letters only, one row
    with ``key == word`` (substring search reads these), and for words of five letters or
    more one row per single-letter deletion (``schmidt`` under ``chmidt``, ``smidt``, ...).
    Two words within one edit share a key, so typo candidates are an index look-up of the
    typed word's own deletions; ``search`` then checks the edit distance.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # every index of the table leads with it
        verbose_name=_("workspace"),
    )
    key = models.CharField(_("key"), max_length=254)
    word = models.CharField(_("word"), max_length=254)

    objects = WorkspaceManager()

    class Meta:
        verbose_name = _("search dictionary word")
        verbose_name_plural = _("search dictionary words")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key", "word"], name="searchword_unique_key"),
        ]
        indexes = [models.Index(fields=["workspace", "word"], name="searchword_word")]

    def __str__(self) -> str:
        return f"{self.key}→{self.word}"
