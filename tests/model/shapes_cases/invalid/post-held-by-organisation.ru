# A post held by an organisation.
# expect: ekgsh:Post-heldBy sh:ClassConstraintComponent
# message: held by a person
# severity: Violation
INSERT DATA { <post/example-director-of-research> org:heldBy <org/example-ministry> }
