# A meeting with no place.
# expect: ekgsh:Meeting-location sh:MinCountConstraintComponent
# message: needs a place
# severity: Violation
DELETE { <event/example-workshop-2021> schema:location ?l } WHERE { <event/example-workshop-2021> schema:location ?l }
