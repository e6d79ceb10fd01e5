/** Task -> category tables (benchmarks.md sections A and B). */
import { MEDINST32_TESTS } from '../benchmarks/medinst32Tasks';

const MEDINST32 = MEDINST32_TESTS;

const MEDINST32_BY_TASK = new Map<string, string>();
for (const [cat, tasks] of Object.entries(MEDINST32)) for (const t of tasks) MEDINST32_BY_TASK.set(t.toLowerCase(), cat);

export const MEDINST32_TASKS: readonly string[] = Object.values(MEDINST32).flat();

/** Category of a MedINST32 test task, or null when the task is not one of the 32. */
export function medinst32Category(task: string): string | null {
  return MEDINST32_BY_TASK.get(task.toLowerCase()) ?? null;
}

/** Old parquet-branch names (`AnEM_COREF`, `BioASQ_Task_B_yesno`) -> the canonical task name. */
export function canonicalMedinst32Task(name: string): string {
  if (MEDINST32_BY_TASK.has(name.toLowerCase())) return MEDINST32_TASKS.find((t) => t.toLowerCase() === name.toLowerCase())!;
  const hyphen = name.replace(/_/g, '-');
  const hit = MEDINST32_TASKS.find((t) => t.toLowerCase() === hyphen.toLowerCase());
  return hit ?? name;
}

/** MedINST dataset -> category where benchmarks.md section A lists it; suffixes decide the rest. */
const MEDINST_BASE: Record<string, string[]> = {
  QA: [
    'BioASQ-Task-B-yesno',
    'BioASQ-Task-B-list',
    'BioASQ-Task-B-factoid',
    'BioASQ-Task-B-summary',
    'BiologyHowWhyCorpus',
    'BIOMRC',
    'Evidence-Inference-2.0',
    'MedQA',
    'MedHop',
    'MEDIQA-QA',
    'PubMedQA-artificial',
    'PubMedQA-labeled',
    'SciQ',
  ],
  NER: [
    'NCBI-disease',
    'BC2GM',
    'CHEMDNER-BIO',
    'BC5CDR',
    'Linnaeus',
    'JNLPBA-DNA',
    'JNLPBA-RNA',
    'JNLPBA-CT',
    'JNLPBA-CL',
    'AnatEM',
    'AnEM',
    'BioInfer',
    'BioNLP-2009',
    'BioNLP-2011-EPI',
    'BioNLP-2011-GE',
    'BioNLP-2011-ID',
    'BioNLP-2011-REL',
    'BioNLP-2013-CG',
    'BioNLP-2013-GE',
    'BioNLP-2013-GRO',
    'BioNLP-2013-PC',
    'BioNLP-2019-BB',
    'BioRED',
    'BioRelEx',
    'CellFinder',
    'CHEBI',
    'CHEMDNER',
    'ChemProt',
    'CHIA',
    'CPI',
    'DDI',
    'DrugProt',
    'EBM-NLP',
    'EU-ADR',
    'GENETAG',
    'PTM-Events',
    'GENIA-Term',
    'GNormPlus',
    'HPRD50',
    'MedMentions',
    'miRNA',
    'MLEE',
    'NLM-Gene',
    'NLM-Chem',
    'OSIRIS',
    'PDR',
    'PICO-Annotation',
    'ProGene',
    'SCAI-Chemical',
    'SCAI-Disease',
    'SETH',
    'SPL-ADR',
    'tmVar-v1',
    'tmVar-v2',
    'tmVar-v3',
    'Verspoor-2013',
  ],
  TE: ['FEVER', 'HealthVer', 'PubHealth', 'SciFact', 'ManConCorpus', 'CoVERt', 'MEDIQA-RQE', 'SciTail'],
  TXTCLASS: ['MedDialog', 'SciCite', 'Hallmarks-of-Cancer', 'GEOKhoj-v1', 'BC7-LitCovid'],
  NED: ['Bio-ID', 'MeDAL'],
  RE: ['IEPA', 'LLL05'],
  STS: ['Bio-SimVerb', 'Bio-SimLex', 'BIOSSES', 'EHR-Rel', 'MayoSRS', 'MQP', 'UMNSRS'],
  TRANSL: ['ParaMed', 'SciELO'],
  TEXTPAIRCLASS: ['Medical-Data'],
  SUM: ['MeQSum', 'Multi-XScience'],
};
const MEDINST_BY_TASK = new Map<string, string>();
for (const [cat, tasks] of Object.entries(MEDINST_BASE)) for (const t of tasks) MEDINST_BY_TASK.set(t.toLowerCase(), cat);

/** Category of a MedINST dataset-task from the table or its suffix (-RE, -NED, ...); null when unknown. */
export function medinstCategory(task: string): string | null {
  const known = MEDINST_BY_TASK.get(task.toLowerCase());
  if (known) return known;
  const m = /-(RE|NED|COREF|EE|TRANSL)$/i.exec(task);
  if (m) return m[1]!.toUpperCase();
  return null;
}

/**
 * Languages of MedINST's translation datasets, from the BigBio dataset cards MedINST was built
 * from (ParaMed: English–Chinese, the TRANSL example instruction in benchmarks.md translates
 * "from Chinese to English"; MuchMore: English–German; SciELO: English, Spanish, Portuguese).
 */
const TRANSL_LANGUAGES: Record<string, string[]> = {
  paramed: ['Chinese', 'English'],
  muchmore: ['English', 'German'],
  scielo: ['English', 'Spanish', 'Portuguese'],
};

/**
 * Languages of a MedINST / MedINST32 task (their files name none): English, or for a
 * translation task the languages of its dataset where we know them, else English.
 */
export function medinstLanguages(task: string, category: string | null): string[] {
  if (category !== 'TRANSL') return ['English'];
  return TRANSL_LANGUAGES[task.replace(/-TRANSL$/i, '').toLowerCase()] ?? ['English'];
}
