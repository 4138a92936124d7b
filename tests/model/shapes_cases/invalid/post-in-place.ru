# A post in a place.
# expect: ekgsh:Post-postIn sh:ClassConstraintComponent
# message: must be in an organisation
# severity: Violation
DELETE { <post/example-director-of-research> org:postIn ?o } INSERT { <post/example-director-of-research> org:postIn <place/example-geneva> } WHERE { <post/example-director-of-research> org:postIn ?o }
