-- TPC-DS Q25 (Appendix B.25): per item and store, an aggregate of store net profit, return net loss
-- and catalog net profit for items sold in store in April, returned between April and October,
-- and bought again by catalog between April and October of the same year.
-- @param YEAR 2001 ~ uniform(1998, 2002)
-- @param AGG 'sum' ~ choice(['sum', 'min', 'max', 'avg', 'stddev_samp'])
select
    i_item_id,
    i_item_desc,
    s_store_id,
    s_store_name,
    ${AGG}(ss_net_profit) as store_sales_profit,
    ${AGG}(sr_net_loss) as store_returns_loss,
    ${AGG}(cs_net_profit) as catalog_sales_profit
from
    store_sales,
    store_returns,
    catalog_sales,
    date_dim sold,
    date_dim returned,
    date_dim rebought,
    store,
    item
where sold.d_moy = 4
  and sold.d_year = ${YEAR}
  and sold.d_date_sk = ss_sold_date_sk
  and i_item_sk = ss_item_sk
  and s_store_sk = ss_store_sk
  and sr_customer_sk = ss_customer_sk
  and sr_item_sk = ss_item_sk
  and sr_ticket_number = ss_ticket_number
  and returned.d_date_sk = sr_returned_date_sk
  and returned.d_moy between 4 and 10
  and returned.d_year = ${YEAR}
  and cs_bill_customer_sk = sr_customer_sk
  and cs_item_sk = sr_item_sk
  and rebought.d_date_sk = cs_sold_date_sk
  and rebought.d_moy between 4 and 10
  and rebought.d_year = ${YEAR}
group by i_item_id, i_item_desc, s_store_id, s_store_name
order by i_item_id, i_item_desc, s_store_id, s_store_name
limit 100
