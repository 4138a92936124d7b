# A participation in two events.
# expect: ekgsh:Participation-event sh:MaxCountConstraintComponent
# message: exactly one event
# severity: Violation
INSERT DATA { <participation/example-workshop-2021/example-foundation/supporter> ekg:inEvent <event/example-workshop-2021/opening-remarks> }
