/**
 * The 32 MedINST32 test tasks by category, exactly as aialt/MedINST evaluation.py lists them
 * (its `tests` dict). The importer takes categories from it and the scorer its metric rules.
 */
export const MEDINST32_TESTS: Readonly<Record<string, readonly string[]>> = {
  QA: ['BioASQ-Task-B-yesno', 'PubMedQA-labeled', 'MedQA'],
  TE: ['SciFact', 'ManConCorpus', 'CoVERt'],
  NER: [
    'NCBI-disease',
    'BC5CDR',
    'AnEM',
    'BioNLP-2009',
    'BioNLP-2011-GE',
    'BioNLP-2011-ID',
    'BioNLP-2011-REL',
    'BioNLP-2013-CG',
    'BioNLP-2013-GE',
    'BioNLP-2013-GRO',
    'BioNLP-2013-PC',
    'BioRED',
    'tmVar-v3',
  ],
  TXTCLASS: ['Hallmarks-of-Cancer', 'MedDialog'],
  NED: ['MeDAL', 'tmVar-v3-NED'],
  RE: ['AnEM-RE', 'BC5CDR-RE', 'BioInfer-RE'],
  COREF: ['AnEM-COREF', 'MLEE-COREF'],
  SUM: ['Multi-XScience'],
  EE: ['MLEE-EE'],
  STS: ['BIOSSES'],
  TRANSL: ['ParaMed'],
};
