complete --keep-order --exclusive --command sesinspect --arguments "(COMPLETE=fish sesinspect -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
