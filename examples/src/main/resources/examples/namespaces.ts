// The example's default permission model (used when NAMESPACES_LOCATION is not set).
import { Namespace, SubjectSet, Context } from "@ory/keto-namespace-types"

class User implements Namespace {}

class Group implements Namespace {
  related: {
    members: (User | SubjectSet<Group, "members">)[]
  }
}

class blog implements Namespace {
  related: {
    owner: (User | SubjectSet<Group, "members">)[]
    moderators: (User | SubjectSet<Group, "members">)[]
  }

  permits = {
    delete: (ctx: Context): boolean =>
      this.related.owner.includes(ctx.subject) || this.related.moderators.includes(ctx.subject),
    edit: (ctx: Context): boolean => this.related.owner.includes(ctx.subject),
  }
}
