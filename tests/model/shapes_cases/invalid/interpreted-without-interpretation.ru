# A fact resting on a reading that is not recorded.
# expect: ekgsh:InterpretedBasisShape sh:OrConstraintComponent
# message: must point to its ekg:Interpretation
# severity: Violation
DELETE { <participation/example-workshop-2021/example-foundation/supporter> ekg:interpretation ?i } WHERE { <participation/example-workshop-2021/example-foundation/supporter> ekg:interpretation ?i }
