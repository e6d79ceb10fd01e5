#!/usr/bin/env python3
"""Writes resources/demo-pack/: a tiny SYNTHETIC benchmark for first start.

Every item below was written by the MedTask Studio developers to show the app's layouts;
none is real patient data or a real benchmark item. Files use the natural-instructions
layout (MedS-Bench / MedS-Ins task files), one task per category.
"""
import json, pathlib

OUT = pathlib.Path(__file__).resolve().parents[2] / "resources" / "demo-pack"
NOTE = "SYNTHETIC demo item written by the MedTask Studio developers; not real data."

TASKS = [
  # (folder/category, task id, name, definition, [(input, output)])
  ("MCQA", 901, "demo_mcqa", "Answer the multiple-choice question with the letter of the correct option.", [
    ("Which vitamin deficiency causes scurvy?\nA. Vitamin A\nB. Vitamin C\nC. Vitamin D\nD. Vitamin K", "The right answer is B."),
    ("Which organ produces insulin?\nA. Liver\nB. Kidney\nC. Pancreas\nD. Spleen", "The right answer is C."),
    ("What is the normal adult resting heart rate range (beats per minute)?\nA. 20-40\nB. 60-100\nC. 120-160\nD. 180-220", "The right answer is B."),
  ]),
  ("Text_summarization", 902, "demo_question_summarization", "Summarize the patient's question in one short sentence.", [
    ("SUBJECT: headaches\nMESSAGE: I have had headaches every morning for two weeks and ibuprofen does not help. What could cause this?", "What causes daily morning headaches not relieved by ibuprofen?"),
    ("SUBJECT: rash\nMESSAGE: My child has a red itchy rash after starting a new antibiotic. Should I stop it?", "Should a child with a rash after a new antibiotic stop taking it?"),
    ("SUBJECT: sleep\nMESSAGE: I wake up at 3 am every night and cannot fall asleep again. Is there a treatment?", "What treatments exist for waking early and not falling back asleep?"),
  ]),
  ("Information_extraction", 903, "demo_dose_extraction", "Extract the drug dose mentioned in the sentence.", [
    ("The patient was started on metformin 500 mg twice daily.", "500 mg"),
    ("Amoxicillin 875 mg was given every 12 hours for seven days.", "875 mg"),
    ("She received a single dose of 40 mg furosemide intravenously.", "40 mg"),
  ]),
  ("Explanation", 904, "demo_concept_explanation", "Explain the medical concept in one or two sentences for a patient.", [
    ("hypertension", "Hypertension is blood pressure that stays higher than normal, which strains the heart and blood vessels over time."),
    ("anemia", "Anemia means the blood has too few healthy red blood cells or too little hemoglobin to carry enough oxygen."),
    ("tachycardia", "Tachycardia is a heart rate faster than normal, usually above 100 beats per minute at rest."),
  ]),
  ("Rationale", 905, "demo_rationale", "Answer the question and explain the reasoning briefly.", [
    ("A patient has polyuria, polydipsia and a fasting glucose of 9 mmol/L. Likely diagnosis?", "Diabetes mellitus, because the fasting glucose is above 7 mmol/L with classic symptoms."),
    ("Why are broad-spectrum antibiotics avoided for viral colds?", "Antibiotics do not act on viruses, so they add side effects and resistance without benefit."),
    ("Why is aspirin avoided in children with viral illness?", "Because of the risk of Reye syndrome, a rare but serious liver and brain disorder."),
  ]),
  ("NER", 906, "demo_disease_ner", "List the disease mentions in the text, separated by commas.", [
    ("The patient has a history of asthma and type 2 diabetes.", "asthma, type 2 diabetes"),
    ("No evidence of pneumonia was found.", "pneumonia"),
    ("Follow-up for hypertension is scheduled.", "hypertension"),
  ]),
  ("Diagnosis", 907, "demo_diagnosis", "Give the most likely diagnosis.", [
    ("Sudden crushing chest pain radiating to the left arm, sweating, ST elevation on ECG.", "The diagnosis result is myocardial infarction."),
    ("Fever, productive cough, crackles in the right lower lobe, consolidation on X-ray.", "The diagnosis result is pneumonia."),
    ("Itchy, watery eyes and sneezing every spring.", "The diagnosis result is allergic rhinitis."),
  ]),
  ("Treatment_planning", 908, "demo_treatment_planning", "Suggest the first-line treatment.", [
    ("Uncomplicated urinary tract infection in a non-pregnant adult woman.", "The treatment planning is: nitrofurantoin."),
    ("Mild persistent asthma in an adult.", "The treatment planning is: low-dose inhaled corticosteroid."),
    ("Iron deficiency anemia without bleeding.", "The treatment planning is: oral iron supplementation."),
  ]),
  ("Clinical_outcome_prediction", 909, "demo_hospitalization", "Predict whether the emergency patient will be hospitalized. Answer true or false.", [
    ("Age 82, oxygen saturation 86%, confusion, fever.", "true"),
    ("Age 25, sprained ankle, normal vital signs.", "false"),
    ("Age 67, chest pain with troponin rise.", "true"),
  ]),
  ("Text_classification", 910, "demo_hallmarks", "Name the cancer hallmarks the sentence describes.", [
    ("The tumour cells evaded apoptosis through BCL2 overexpression.", "resisting cell death"),
    ("VEGF expression promoted new vessel formation around the tumour.", "inducing angiogenesis"),
    ("The cells proliferated without growth factor stimulation.", "sustaining proliferative signaling"),
  ]),
  ("Fact_verication", 911, "demo_fact_verification", "Is the claim supported by the evidence? Answer yes or no.", [
    ("Claim: Vaccination lowers the risk of measles.\nEvidence: Two doses of measles vaccine are about 97% effective.", "yes"),
    ("Claim: Antibiotics cure influenza.\nEvidence: Influenza is caused by a virus.", "no"),
    ("Claim: Smoking raises lung cancer risk.\nEvidence: Cohort studies show a strong dose-response relation.", "yes"),
  ]),
  ("NLI", 912, "demo_nli", "Does the premise entail, contradict, or is it neutral to the hypothesis?", [
    ("Premise: The patient denies chest pain.\nHypothesis: The patient has chest pain.", "contradiction"),
    ("Premise: Blood pressure is 180/110.\nHypothesis: The patient is hypertensive.", "entailment"),
    ("Premise: The patient arrived by ambulance.\nHypothesis: The patient has diabetes.", "neutral"),
  ]),
]

def main():
  OUT.mkdir(parents=True, exist_ok=True)
  (OUT / "README.md").write_text(
    "# MedTask Studio demo pack (SYNTHETIC)\n\n"
    "A few hand-written items per clinical category, in the MedS-Bench task-file layout, so a new\n"
    "library has something to browse. Every item is synthetic, written by the MedTask Studio\n"
    "developers; none is real patient data or a real benchmark item. Import real benchmarks\n"
    "with `medtask import PATH` or the import bar.\n", encoding="utf-8")
  for folder, tid, name, definition, items in TASKS:
    d = OUT / folder
    d.mkdir(exist_ok=True)
    obj = {
      "Contributors": ["MedTask Studio developers"],
      "Source": ["SYNTHETIC demo pack"],
      "URL": [],
      "Categories": [folder.replace("_", " ")],
      "Reasoning": [],
      "Definition": [definition],
      "Input_language": ["English"], "Output_language": ["English"], "Instruction_language": ["English"],
      "Domains": ["Medicine"],
      "Positive Examples": [{"input": items[0][0], "output": items[0][1], "explanation": NOTE}],
      "Negative Examples": [],
      "Instances": [{"id": f"demo-{tid}-{i}", "input": inp, "output": [out]} for i, (inp, out) in enumerate(items)],
    }
    (d / f"task{tid}_{name}.json").write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

if __name__ == "__main__":
  main()
