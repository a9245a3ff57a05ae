catalogueShard("meta",{"shards":1});
