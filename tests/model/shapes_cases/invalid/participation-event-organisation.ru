# A participation whose event is an organisation.
# expect: ekgsh:Participation-event sh:ClassConstraintComponent
# message: exactly one event
# severity: Violation
DELETE { <participation/example-workshop-2021/example-foundation/supporter> ekg:inEvent ?e } INSERT { <participation/example-workshop-2021/example-foundation/supporter> ekg:inEvent <org/example-ecr> } WHERE { <participation/example-workshop-2021/example-foundation/supporter> ekg:inEvent ?e }
