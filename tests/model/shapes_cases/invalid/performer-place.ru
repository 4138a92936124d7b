# A performer that is a place.
# expect: ekgsh:Event-performer sh:OrConstraintComponent
# message: person or an organisation
# severity: Violation
INSERT DATA { <event/example-workshop-2021/opening-remarks> schema:performer <place/example-geneva> }
