# A participation in no event.
# expect: ekgsh:Participation-event sh:MinCountConstraintComponent
# message: exactly one event
# severity: Violation
DELETE { <participation/example-workshop-2021/example-foundation/supporter> ekg:inEvent ?e } WHERE { <participation/example-workshop-2021/example-foundation/supporter> ekg:inEvent ?e }
