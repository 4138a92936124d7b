# A participation of two agents.
# expect: ekgsh:Participation-agent sh:MaxCountConstraintComponent
# message: exactly one agent
# severity: Violation
INSERT DATA { <participation/example-workshop-2021/example-foundation/supporter> ekg:agent <org/example-ecr> }
