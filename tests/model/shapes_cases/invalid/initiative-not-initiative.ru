# ekg:partOfInitiative pointing to a policy framework.
# expect: ekgsh:Event-initiative sh:ClassConstraintComponent
# message: ekg:Initiative
# severity: Violation
INSERT DATA { <event/example-workshop-2021> ekg:partOfInitiative <framework/example-agenda> }
