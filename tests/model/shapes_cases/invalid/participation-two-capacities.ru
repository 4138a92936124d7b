# A participation in two capacities.
# expect: ekgsh:Participation-capacity sh:MaxCountConstraintComponent
# message: at most one capacity
# severity: Violation
INSERT DATA { <participation/example-workshop-2021/example-foundation/supporter> ekg:capacity "donor"@en }
