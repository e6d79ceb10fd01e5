"""Generates test/metrics/golden/goldenValues.ts (documentation; not run by the tests).

Reference implementations used (never copied into this repository):
  * nltk (PorterStemmer, NLTKWordTokenizer, sentence_bleu) and scikit-learn, pip-installed;
  * Google rouge_score (tokenize/tokenizers/rouge_scorer/scoring) importable as `rouge_score`;
  * pltrdy `rouge` (rouge.py, rouge_score.py) importable as `rouge`;
  * REF_DIR/medinst_eval.py: the metric functions of aialt/MedINST evaluation.py
    (normalize_answer ... evaluate), with `datasets.load_metric('rouge')` replaced by the
    rouge_scorer.RougeScorer(['rougeL'], use_stemmer=True).score(ref, pred) it wraps;
  * REF_DIR/meds_metrics.py: the per-item rules of MAGIC-AI4Med/MedS-Ins Metrics/*.py.
NLTK's Punkt model is not available offline, so BLEU cases are given as explicit sentence
lists with unambiguous boundaries and tokenised with NLTKWordTokenizer per sentence
(what word_tokenize does after Punkt).

Usage: PYTHONPATH=$REF_DIR python3 generate_golden.py /work/shared/data > goldenValues.ts
"""
import json, sys, os
from nltk.stem.porter import PorterStemmer
from rouge_score import rouge_scorer
import medinst_eval as mi
import meds_metrics as ms

DATA = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data'

def jsonl(p):
    with open(p, encoding='utf-8') as f:
        return [json.loads(l) for l in f if l.strip()]

out = {}

# ---- Porter stemmer over real vocabulary + tricky words
import re
words = set()
for r in jsonl(f'{DATA}/medinst32/unseen_tests/PubMedQA-labeled.json')[:120]:
    words.update(re.findall(r'[a-z0-9]+', r['input'].lower()))
tricky = ['skies', 'sky', 'dying', 'lying', 'tying', 'news', 'innings', 'outing', 'cannings', 'howe', 'proceed',
          'exceed', 'succeed', 'generalization', 'generalizations', 'oscillators', 'hopping', 'hoping', 'falling',
          'filing', 'failing', 'controlling', 'rolling', 'relational', 'conditional', 'rational', 'valenci',
          'hesitanci', 'digitizer', 'conformabli', 'radicalli', 'differentli', 'vileli', 'analogousli',
          'vietnamization', 'predication', 'operator', 'feudalism', 'decisiveness', 'hopefulness', 'callousness',
          'formaliti', 'sensitiviti', 'sensibiliti', 'triplicate', 'formative', 'formalize', 'electriciti',
          'electrical', 'hopeful', 'goodness', 'revival', 'allowance', 'inference', 'airliner', 'gyroscopic',
          'adjustable', 'defensible', 'irritant', 'replacement', 'adjustment', 'dependent', 'adoption', 'homologou',
          'communism', 'activate', 'angulariti', 'homologous', 'effective', 'bowdlerize', 'probate', 'rate',
          'cease', 'controll', 'roll', 'caresses', 'ponies', 'ties', 'caress', 'cats', 'feed', 'agreed', 'plastered',
          'bled', 'motoring', 'sing', 'conflated', 'troubled', 'sized', 'hopping', 'tanned', 'fizzed', 'failing',
          'happy', 'sky', 'dried', 'cried', 'died', 'spied', 'fully', 'generously', 'analogies', 'biology',
          'physiological', 'apology', 'yelling', 'syzygy', 'yyy', 'by', 'ay', 'oed', 'ied', 'ies', 'eed', 'ing',
          'bing', 'kings', 'aaron', 'abaissiez', 'zoning', 'quickly', 'immunohistochemistry', 'meningioma',
          'patients', 'treatment', 'significantly', 'associated', 'randomized', 'controlled', 'hospitalization']
words.update(tricky)
ps = PorterStemmer()
wl = sorted(words)
out['porter'] = [[w, ps.stem(w)] for w in wl]

# ---- Google rouge_score ROUGE-L pairs
rouge_pairs = [
    ['The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.'],
    ['patients were treated with 5 mg/kg', 'Patients treated with 5mg per kg'],
    ['', 'something'], ['...', '!!!'], ['running runners ran', 'run running runs'],
    ['Généralisation of ÉTUDES', 'generalisation etudes'],
    ['the the the cat', 'the cat the cat'],
]
mq = json.load(open(f'{DATA}/meds-bench/Text_summarization/task114_meqsum_summarization.json', encoding='utf-8'))
for inst in mq['Instances'][:40]:
    rouge_pairs.append([inst['input'], inst['output']])
out['rougeScoreL'] = [[p, g, mi.rouge(p, g)] for p, g in rouge_pairs]

# ---- pltrdy rouge ROUGE-L pairs
py_pairs = [
    ['the cat sat on the mat. it was happy', 'the cat is on the mat'],
    ['a b c d. e f g', 'a c e g. b d f'],
    ['3.5 mg daily', '3.5 mg per day.'],
    ['x x x y', 'x y y y'],
    ['Hello   world .  again', 'hello world again'],
    ['a. . b', 'a b'],
]
for inst in mq['Instances'][:40]:
    py_pairs.append([inst['input'], inst['output']])
out['pyRougeL'] = [[h, r, ms.pyrouge_l(h, r)] for h, r in py_pairs]

# ---- BLEU-1 cases as explicit sentences
bleu_cases = [
    [['The patient was given aspirin.'], ['The patient received aspirin.']],
    [['It is a test, isn\'t it?'], ['This is a test.']],
    [['Dose: 5 mg (twice daily).', 'Monitor closely.'], ['Give 5 mg twice daily.', 'Monitor the patient closely.']],
    [['"Quoted" words -- and dashes...'], ['Quoted words and dashes.']],
    [['no overlap here'], ['completely different text']],
    [['We cannot say; gonna check @home #1 $5 & 10%.'], ['We can not say that.']],
    [['a a a a'], ['a']],
    [['short'], ['a much longer reference sentence with many words']],
]
out['bleu1'] = [[' '.join(h), ' '.join(r), ms.bleu1_sents(r, h)] for h, r in bleu_cases]
out['treebank'] = []
from nltk.tokenize import NLTKWordTokenizer
tb = NLTKWordTokenizer()
for s in ["Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.", "They'll save and invest more.",
          "hi, my name can't hello,", "\"We beat some pretty good teams to get here,\" Slocum said.",
          "The unicode 201C and 201D \u201cLEFT(RIGHT) DOUBLE QUOTATION MARK\u201d is also OPEN_PUNCT and CLOSE_PUNCT.",
          "gimme the thing, d'ye see? 'tis wanna go", "I can't believe it's not butter!", "Ratio 1:2, and 3:4; end:",
          "wait... what?! (yes) [no] {maybe} <ok>", "It's 5 o'clock -- the end."]:
    out['treebank'].append([s, tb.tokenize(s)])

# ---- MedINST evaluate() on small synthetic corpora
syn = {
    'cls': (['yes', 'No.', 'maybe', 'yes', 'The answer is no'], ['yes', 'no', 'no', 'maybe', 'no'], ['cls']),
    'em': (['A) aspirin', 'Aspirin', 'the ibuprofen'], ['aspirin', 'aspirin', 'Ibuprofen.'], ['em']),
    'entity': (['[BRCA1 Gene] [TP53 Gene] [TP53 Gene]', 'none', '[a [nested] one]] [x]', ''],
               ['[BRCA1 Gene] [TP53 Gene]', '[Disease X]', '[a [nested] one] [y]', ''], ['entity']),
    'multicls': (['Resisting cell death, none', 'none', 'a, b, b'], ['resisting cell death', 'none', 'a, b'], ['multicls']),
    'bio': (['a [B] b [I] c [O]', 'x [O]', 'y [B] z [B] w [I]'], ['a [B] b [I] c [O] d [O]', 'x [B]', 'y [B] z [I]'], ['bio']),
    'mse': (['3', 'score 4 of 5', '2.0', '7', '١'], ['3', '4', '2', '1', '1'], ['mse']),
}
out['medinstSynthetic'] = {k: {'preds': p, 'golds': g, 'metrics': mi.evaluate(g, p, t)} for k, (p, g, t) in syn.items()}

# ---- Real files, gold-as-prediction and deterministic perturbation
def perturb_pubmedqa(i, g):
    labels = ['yes', 'no', 'maybe']
    if i % 3 == 0: return g
    if i % 3 == 1: return labels[(labels.index(g) + 1) % 3] if g in labels else 'yes'
    return 'The answer is ' + g + '.'
def perturb_bio(i, g):
    if i % 5 == 0:
        toks = g.split(' '); return ' '.join(toks[:len(toks) // 2])
    if i % 2 == 1: return g.replace('[B]', '[O]', 1)
    return g.replace('[I]', '[B]')
def perturb_hoc(i, g):
    labels = g.split(', ')
    if i % 4 == 0: return g
    if i % 4 == 1: return ', '.join(labels[:-1]) if len(labels) > 1 else 'none'
    if i % 4 == 2: return g.upper() + ', extra label'
    return ', '.join(reversed(labels))
real = {}
pq = jsonl(f'{DATA}/medinst32/unseen_tests/PubMedQA-labeled.json')
ncbi = json.load(open(f'{DATA}/medinst32/unseen_tests/NCBI-disease.json', encoding='utf-8'))
hocr = jsonl(f'{DATA}/medinst32/unseen_tests/Hallmarks-of-Cancer.json')
for name, recs, types, pert in [('PubMedQA-labeled', pq, ['cls'], perturb_pubmedqa),
                                ('NCBI-disease', ncbi, ['bio'], perturb_bio),
                                ('Hallmarks-of-Cancer', hocr, ['multicls'], perturb_hoc)]:
    golds = [r['output'] for r in recs]
    preds = [pert(i, g) for i, g in enumerate(golds)]
    real[name] = {'gold': mi.evaluate(golds, golds, types), 'perturbed': mi.evaluate(golds, preds, types)}
out['medinstReal'] = real

t123 = json.load(open(f'{DATA}/meds-bench/MCQA/task123_pubmedqa_test_set.json', encoding='utf-8'))
g123 = [i['output'][0] if isinstance(i['output'], list) else i['output'] for i in t123['Instances']]
def perturb_123(i, g):
    if i % 4 == 0: return g
    if i % 4 == 1: return 'The right answer is no'
    if i % 4 == 2: return 'Yes, because the context says so.'
    return 'maybe'
p123 = [perturb_123(i, g) for i, g in enumerate(g123)]
out['task123'] = {'gold': ms.mcqa(g123, g123, 'task123'), 'perturbed': ms.mcqa(p123, g123, 'task123')}
g114 = [i['output'] for i in mq['Instances']]
p114 = [i['input'] for i in mq['Instances']]
out['task114'] = {
    'pyRougeGold': 100 * sum(ms.pyrouge_l(g, g) for g in g114) / len(g114),
    'pyRougeInput': 100 * sum(ms.pyrouge_l(p, g) for p, g in zip(p114, g114)) / len(g114),
}

# ---- MedS-Bench synthetic corpora
out['medsSynthetic'] = {
    'mcq': {'preds': ['The right answer is A.', 'b', 'E', 'The right answer is c) x', ' D '],
            'golds': ['The right answer is A', 'The right answer is C', 'The right answer is E', 'C', 'd'],
            'value': ms.mcqa(['The right answer is A.', 'b', 'E', 'The right answer is c) x', ' D '],
                             ['The right answer is A', 'The right answer is C', 'The right answer is E', 'C', 'd'], 'task57')},
}
ner_p = ['aspirin, ibuprofen.', 'There is no related enetity.', 'benzene', 'a, b, c.', 'x.']
ner_g = ['aspirin, ibuprofen.', 'There is no related enetity.', 'toluene.', 'a, c.', 'There is no related enetity.']
out['medsSynthetic']['ner'] = {'preds': ner_p, 'golds': ner_g, 'value': ms.ner(ner_p, ner_g)}
hoc_p = ['Sustaining proliferative signaling and resisting cell death', 'inducing angiogenesis', '', 'cellular energetics']
hoc_g = ['sustaining proliferative signaling', 'inducing angiogenesis, avoiding immune destruction', 'resisting cell death', 'none']
out['medsSynthetic']['hoc'] = {'preds': hoc_p, 'golds': hoc_g, 'value': ms.hoc(hoc_p, hoc_g)}
sub_p = ['The answer is "Adults with asthma"\n', 'URTI is likely', 'Surgery and radiation', 'Entailment.', 'Supported\nbecause', 'it is TRUE', 'false but true', 'False.']
sub_g = ["adults with 'asthma'", 'The diagnosis result is URTI.', 'The treatment planning is: surgery.', 'entailment', 'supported.', 'true', 'false', 'false']
out['medsSynthetic']['substring'] = {
    'preds': sub_p, 'golds': sub_g,
    'ie': ms.ie(sub_p, sub_g), 'diagnosis': ms.diagnosis(sub_p, sub_g), 'treatment': ms.treatment(sub_p, sub_g),
    'nli': ms.nli(sub_p, sub_g), 'fact': ms.fact(sub_p, sub_g), 'outcome': ms.outcome(sub_p, sub_g),
}

print('// Generated by test/metrics/golden/generate_golden.py from the Python reference implementations.')
print('// Do not edit by hand.')
print('export const GOLDEN = ' + json.dumps(out, ensure_ascii=False, indent=1) + ';')
