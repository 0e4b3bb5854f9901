-- TPC-DS Q27 (Appendix B.27): average quantity, list price, coupon amount and sales price of store
-- sales to one demographic group in a year, per item and store state (with rollup), for stores in
-- six states.
-- @param STATES ['TN', 'TN', 'TN', 'TN', 'TN', 'TN'] ~ [choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states'))]
-- @param ES 'College' ~ choice(vocab('education'))
-- @param MS 'S' ~ choice(vocab('marital_status'))
-- @param GEN 'M' ~ choice(vocab('gender'))
-- @param YEAR 2002 ~ uniform(1998, 2002)
select
    i_item_id,
    s_state,
    grouping(s_state) as g_state,
    avg(ss_quantity) as avg_quantity,
    avg(ss_list_price) as avg_list_price,
    avg(ss_coupon_amt) as avg_coupon_amt,
    avg(ss_sales_price) as avg_sales_price
from store_sales, customer_demographics, date_dim, store, item
where ss_sold_date_sk = d_date_sk
  and ss_item_sk = i_item_sk
  and ss_store_sk = s_store_sk
  and ss_cdemo_sk = cd_demo_sk
  and cd_gender = '${GEN}'
  and cd_marital_status = '${MS}'
  and cd_education_status = '${ES}'
  and d_year = ${YEAR}
  and s_state in (${STATES})
group by rollup (i_item_id, s_state)
order by i_item_id, s_state
limit 100
