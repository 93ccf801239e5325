from __future__ import annotations

import factory

from zweck.accounts.actors import Actor
from zweck.accounts.models import Membership, User, Workspace
from zweck.core.permissions import Role


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Beispiel Beratung {n} GmbH")
    slug = factory.Sequence(lambda n: f"beispiel-{n}")
    legal_name = factory.LazyAttribute(lambda o: o.name)
    street = "Musterstraße 1"
    postal_code = "10115"
    city = "Berlin"
    email = factory.Sequence(lambda n: f"office{n}@example.com")
    dpo_name = "Dana Datenschutz"
    dpo_email = "privacy@example.com"
    supervisory_authority = "Berliner Beauftragte für Datenschutz und Informationsfreiheit"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _persist(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.OWNER


def make_actor(role: str = Role.OWNER, workspace: Workspace | None = None) -> Actor:
    """A member with ``role`` in ``workspace`` (a new one by default), as an Actor."""
    membership = MembershipFactory(role=role, workspace=workspace or WorkspaceFactory())
    return Actor.for_membership(membership)
