# A post in no organisation.
# expect: ekgsh:Post-postIn sh:MinCountConstraintComponent
# message: must be in an organisation
# severity: Violation
DELETE { <post/example-director-of-research> org:postIn ?o } WHERE { <post/example-director-of-research> org:postIn ?o }
