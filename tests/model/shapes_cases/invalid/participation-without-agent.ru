# A participation with no agent.
# expect: ekgsh:Participation-agent sh:MinCountConstraintComponent
# message: exactly one agent
# severity: Violation
DELETE { <participation/example-workshop-2021/example-foundation/supporter> ekg:agent ?a } WHERE { <participation/example-workshop-2021/example-foundation/supporter> ekg:agent ?a }
